package dev.quarry.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Finds a JDK >= 21 for the servers the stack starts: this JVM if it is one, else one under /usr/lib/jvm. */
final class Jdk {
    private Jdk() {
    }

    static Path home() {
        if (Runtime.version().feature() >= 21) {
            return Path.of(System.getProperty("java.home"));
        }
        try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.filter(p -> Files.isExecutable(p.resolve("bin/java")))
                    .filter(p -> featureOf(p) >= 21)
                    .max(Comparator.comparingInt(Jdk::featureOf))
                    .orElseThrow(() -> new IllegalStateException("No JDK >= 21 found: install one (e.g. apt-get install openjdk-21-jdk-headless)"));
        } catch (IOException e) {
            throw new IllegalStateException("No JDK >= 21 found under /usr/lib/jvm", e);
        }
    }

    static Path java() {
        return home().resolve("bin/java");
    }

    private static int featureOf(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
