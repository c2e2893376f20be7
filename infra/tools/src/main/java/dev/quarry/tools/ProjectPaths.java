package dev.quarry.tools;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the project lives, so reports land under {@code <root>/.quarry/} wherever the tool was started. */
final class ProjectPaths {
    private ProjectPaths() {
    }

    /**
     * The {@code quarry.project.root} system property (scripts/quarry sets it), else the nearest
     * directory at or above the working directory that holds {@code infra/pipeline.json}, else the
     * working directory.
     */
    static Path root() {
        String configured = System.getProperty("quarry.project.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path start = Path.of("").toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("infra").resolve("pipeline.json"))) {
                return dir;
            }
        }
        return start;
    }

    /** {@code <root>/.quarry/<first>/<more...>}. */
    static Path stateDir(String first, String... more) {
        return root().resolve(".quarry").resolve(Path.of(first, more));
    }
}
