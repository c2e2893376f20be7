package dev.quarry.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** The {@code .tf} files of one Terraform module directory, parsed with hcl4j and {@link HclSource}. */
final class TerraformModule {

    /** One parsed file. */
    record TfFile(Path path, String text, Map<String, Object> values, HclSource.Block source) {}

    private final Path dir;
    private final List<TfFile> files;

    private TerraformModule(Path dir, List<TfFile> files) {
        this.dir = dir;
        this.files = files;
    }

    static TerraformModule load(Path dir) {
        try (Stream<Path> paths = Files.list(dir)) {
            List<Path> tfFiles = paths.filter(path -> path.toString().endsWith(".tf")).sorted().toList();
            assertThat(tfFiles).as("Terraform files in %s", dir).isNotEmpty();
            return new TerraformModule(dir, tfFiles.stream().map(TerraformModule::parse).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses one file with hcl4j and with {@link HclSource}; either failing fails the test. */
    static TfFile parse(Path path) {
        try {
            String text = Files.readString(path, StandardCharsets.UTF_8);
            Map<String, Object> values = quietly(() -> new HCLParser().parse(path.toFile(), "UTF-8"));
            return new TfFile(path, text, values, HclSource.parse(text));
        } catch (Exception e) {
            throw new AssertionError("Failed to parse " + path + ": " + e.getMessage(), e);
        }
    }

    /** hcl4j prints "Evaluating Tuple: ..." to System.out for every for expression; keep the build log readable. */
    private static synchronized <T> T quietly(Callable<T> parse) throws Exception {
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            return parse.call();
        } finally {
            System.setOut(out);
        }
    }

    Path dir() {
        return dir;
    }

    List<TfFile> files() {
        return files;
    }

    /** Every top-level block of one kind ({@code resource}, {@code data}, {@code variable}, ...) across the module's files. */
    List<TfBlock> topLevel(String kind) {
        List<TfBlock> blocks = new ArrayList<>();
        for (TfFile file : files) {
            for (HclSource.Block block : file.source().blocks(kind)) {
                Object node = file.values().get(kind);
                for (String label : block.labels()) {
                    node = node instanceof Map<?, ?> map ? map.get(label) : null;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> values = node instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
                String where = dir.getFileName() + "/" + file.path().getFileName() + ": " + kind + " " + String.join(".", block.labels());
                blocks.add(new TfBlock(where, block, values));
            }
        }
        return blocks;
    }

    /** Resources of a type by name. */
    Map<String, TfBlock> resources(String type) {
        return byName("resource", type);
    }

    TfBlock resource(String type, String name) {
        Map<String, TfBlock> resources = resources(type);
        assertThat(resources).as("resource %s.%s in %s", type, name, dir).containsKey(name);
        return resources.get(name);
    }

    /** Data sources of a type by name. */
    Map<String, TfBlock> dataSources(String type) {
        return byName("data", type);
    }

    TfBlock data(String type, String name) {
        Map<String, TfBlock> data = dataSources(type);
        assertThat(data).as("data %s.%s in %s", type, name, dir).containsKey(name);
        return data.get(name);
    }

    Map<String, TfBlock> variables() {
        return byName("variable", null);
    }

    Map<String, TfBlock> outputs() {
        return byName("output", null);
    }

    Map<String, TfBlock> modules() {
        return byName("module", null);
    }

    /** Source text of every local value, across all {@code locals} blocks. */
    Map<String, String> locals() {
        Map<String, String> locals = new LinkedHashMap<>();
        for (TfBlock block : topLevel("locals")) {
            locals.putAll(block.expressions());
        }
        return locals;
    }

    String local(String name) {
        Map<String, String> locals = locals();
        assertThat(locals).as("local.%s in %s", name, dir).containsKey(name);
        return locals.get(name);
    }

    /** hcl4j's value of a local (literal maps and lists survive; most expressions do not). */
    Object localValue(String name) {
        for (TfFile file : files) {
            if (file.values().get("locals") instanceof Map<?, ?> locals && locals.containsKey(name)) {
                return locals.get(name);
            }
        }
        throw new AssertionError("local." + name + " not found in " + dir);
    }

    private Map<String, TfBlock> byName(String kind, String type) {
        Map<String, TfBlock> byName = new LinkedHashMap<>();
        for (TfBlock block : topLevel(kind)) {
            List<String> labels = block.labels();
            if (type == null) {
                byName.put(labels.get(0), block);
            } else if (labels.get(0).equals(type)) {
                byName.put(labels.get(1), block);
            }
        }
        return byName;
    }
}
