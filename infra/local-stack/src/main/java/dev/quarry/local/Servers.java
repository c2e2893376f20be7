package dev.quarry.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** The real servers of the local stack that run as child processes: OpenSearch with k-NN and S3Mock. */
final class Servers {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String NOBODY = "65534";

    private final StackConfig config;
    private final ChildProcesses processes;

    Servers(StackConfig config, ChildProcesses processes) {
        this.config = config;
        this.processes = processes;
    }

    // ---------------------------------------------------------------- OpenSearch

    Process startOpenSearch() throws IOException {
        Path home = installOpenSearch();
        Path data = config.stateDir().resolve("opensearch-data");
        Path logs = config.logs().resolve("opensearch");
        Files.createDirectories(data);
        Files.createDirectories(logs);
        Files.writeString(home.resolve("config/opensearch.yml"), """
                cluster.name: quarry-local
                node.name: quarry-local-1
                discovery.type: single-node
                network.host: 127.0.0.1
                http.port: %d
                transport.port: %d
                path.data: %s
                path.logs: %s
                cluster.routing.allocation.disk.threshold_enabled: false
                """.formatted(config.openSearchPort(), config.openSearchTransportPort(), data, logs));
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            // OpenSearch refuses to run as root: drop to nobody, who must own what it writes.
            chownRecursive(NOBODY, home, data, logs);
            allowTraversal(config.stateDir());
            command.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        }
        command.add(home.resolve("bin/opensearch").toString());
        Map<String, String> env = Map.of(
                "OPENSEARCH_JAVA_HOME", Jdk.home().toString(),
                "OPENSEARCH_JAVA_OPTS", "-Xms" + config.openSearchHeap() + " -Xmx" + config.openSearchHeap()
                        + " -XX:-HeapDumpOnOutOfMemoryError",
                "OPENSEARCH_PATH_CONF", home.resolve("config").toString());
        return processes.start("opensearch", command, env, home);
    }

    boolean openSearchHealthy() {
        return get(config.openSearchEndpoint() + "/_cluster/health", 200, "\"status\":\"green\"", "\"status\":\"yellow\"");
    }

    private Path installOpenSearch() throws IOException {
        Path root = config.stateDir().resolve("opensearch");
        Path home = root.resolve("opensearch-3.6.0");
        if (!Files.exists(home.resolve("bin/opensearch"))) {
            Path zip = distFile("opensearch-3.6.0.zip");
            unzip(zip, root);
            try (Stream<Path> bins = Files.list(home.resolve("bin"))) {
                bins.forEach(Servers::makeExecutable);
            }
        }
        if (!Files.exists(home.resolve("plugins/opensearch-knn"))) {
            Path knn = distFile("opensearch-knn-3.6.0.0.zip");
            Files.createDirectories(config.logs());
            ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/opensearch-plugin").toString(), "install", "--batch",
                    knn.toUri().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(config.logs().resolve("opensearch-plugin.log").toFile()))
                    .directory(home.toFile());
            pb.environment().put("OPENSEARCH_JAVA_HOME", Jdk.home().toString());
            Process p = pb.start();
            try {
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("Installing the k-NN plugin failed; see " + config.logs().resolve("opensearch-plugin.log"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while installing the k-NN plugin", e);
            }
        }
        return home;
    }

    // ---------------------------------------------------------------- S3Mock

    Process startS3Mock() throws IOException {
        Path root = config.stateDir().resolve("s3");
        Files.createDirectories(root);
        List<String> command = List.of(Jdk.java().toString(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", distFile("s3mock-4.11.0-exec.jar").toString(),
                "--server.address=127.0.0.1",
                "--server.port=0",
                "--http.port=" + config.s3MockPort(),
                "--com.adobe.testing.s3mock.httpPort=" + config.s3MockPort(),
                "--com.adobe.testing.s3mock.store.root=" + root,
                "--com.adobe.testing.s3mock.store.retain-files-on-exit=true",
                "--com.adobe.testing.s3mock.store.initial-buckets=" + config.bucket(),
                "--server.tomcat.max-swallow-size=-1",
                "--spring.main.banner-mode=off");
        return processes.start("s3mock", command, Map.of(), config.stateDir());
    }

    boolean s3MockHealthy() {
        return get("http://127.0.0.1:" + config.s3MockPort() + "/", 200);
    }

    // ---------------------------------------------------------------- helpers

    Path distFile(String name) {
        Path f = config.dist().resolve(name);
        if (!Files.exists(f)) {
            throw new IllegalStateException(f + " is missing: build the project first (./mvnw -B install -DskipTests), "
                    + "which downloads the stack's servers from Maven Central.");
        }
        return f;
    }

    static boolean get(String url, int status, String... anyOf) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != status) {
                return false;
            }
            if (anyOf.length == 0) {
                return true;
            }
            for (String s : anyOf) {
                if (r.body().replace(" ", "").contains(s)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void waitFor(String what, Duration timeout, Process process, Path log, BooleanSupplier healthy) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (healthy.getAsBoolean()) {
                return;
            }
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException(what + " exited with code " + process.exitValue() + "; see " + log);
            }
            sleep(250);
        }
        throw new IllegalStateException(what + " did not become healthy within " + timeout.toSeconds() + " s; see " + log);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void chownRecursive(String uid, Path... paths) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("chown", "-R", uid + ":" + uid));
        for (Path p : paths) {
            cmd.add(p.toString());
        }
        try {
            if (new ProcessBuilder(cmd).inheritIO().start().waitFor() != 0) {
                throw new IOException("chown failed for " + cmd);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted during chown", e);
        }
    }

    /** nobody must be able to reach its folders: add o+x to the ancestors that lack it (CI clones into private dirs). */
    private static void allowTraversal(Path dir) throws IOException {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            var perms = Files.getPosixFilePermissions(p);
            if (!perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
                Files.setPosixFilePermissions(p, perms);
            }
        }
    }

    private static void makeExecutable(Path p) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot make " + p + " executable", e);
        }
    }

    private static void unzip(Path zip, Path target) throws IOException {
        Files.createDirectories(target);
        try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                Path out = target.resolve(e.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("Zip entry outside the target: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(z, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
