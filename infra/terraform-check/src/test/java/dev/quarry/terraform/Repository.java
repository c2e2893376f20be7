package dev.quarry.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Paths of the repository under test and its pipeline wiring definition. */
final class Repository {

    static final Path ROOT = findRoot();
    static final Path PIPELINE_FILE = ROOT.resolve("infra/pipeline.json");
    static final Path TERRAFORM = ROOT.resolve("terraform");
    static final Path MODULE = TERRAFORM.resolve("modules/quarry");
    static final Path EXAMPLE = TERRAFORM.resolve("examples/complete");

    private Repository() {}

    /** One stage of infra/pipeline.json. */
    record Stage(String function, String queue, List<Trigger> triggers, int batchSize, int timeoutSeconds,
                 int memoryMb, int visibilityTimeoutSeconds, int maxReceiveCount, int maximumConcurrency) {}

    record Trigger(String prefix, String suffix, List<String> events) {}

    static JsonNode pipeline() {
        try {
            return new ObjectMapper().readTree(PIPELINE_FILE.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + PIPELINE_FILE, e);
        }
    }

    static List<Stage> stages() {
        List<Stage> stages = new ArrayList<>();
        for (JsonNode stage : pipeline().path("stages")) {
            List<Trigger> triggers = new ArrayList<>();
            for (JsonNode trigger : stage.path("triggers")) {
                List<String> events = new ArrayList<>();
                trigger.path("events").forEach(event -> events.add(event.asText()));
                triggers.add(new Trigger(trigger.path("prefix").asText(), trigger.path("suffix").asText(), events));
            }
            stages.add(new Stage(stage.path("function").asText(), stage.path("queue").asText(), triggers,
                    stage.path("batchSize").asInt(), stage.path("timeoutSeconds").asInt(), stage.path("memoryMb").asInt(),
                    stage.path("visibilityTimeoutSeconds").asInt(), stage.path("maxReceiveCount").asInt(),
                    stage.path("maximumConcurrency").asInt()));
        }
        return stages;
    }

    /** All .tf files under terraform/, skipping provider caches. */
    static List<Path> terraformFiles() {
        try (var paths = Files.walk(TERRAFORM)) {
            return paths.filter(path -> path.toString().endsWith(".tf"))
                    .filter(path -> !path.toString().contains("/.terraform/"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("infra/pipeline.json"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("No directory containing infra/pipeline.json above " + Path.of("").toAbsolutePath());
    }
}
