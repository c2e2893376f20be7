package dev.quarry.local;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The commands that start, stop and describe the local stack: real OpenSearch (+ k-NN), ElasticMQ
 * (SQS) and S3Mock (S3) servers with S3 event notifications, Lambda with every function running in
 * its own JVMs under the AWS Lambda runtime interface client, SQS event sources, and an HTTP API
 * gateway for the query function. The stack itself runs in the background as {@link StackDaemon}.
 *
 * <pre>
 * up      start in the background (no-op if already up) and wait until healthy
 * down    stop everything this stack started
 * status  say whether it is up, with endpoints and the memory of its processes
 * run     run in the foreground (what 'up' starts)
 * </pre>
 */
public final class LocalStack {
    static final ObjectMapper JSON = new ObjectMapper();

    private LocalStack() {
    }

    public static void main(String[] args) throws Exception {
        StackConfig config = StackConfig.load(StackConfig.findProjectRoot());
        String command = args.length == 0 ? "status" : args[0];
        switch (command) {
            case "up" -> System.exit(up(config, true) ? 0 : 1);
            case "down" -> down(config, true);
            case "status" -> System.exit(status(config) ? 0 : 3);
            case "run" -> new StackDaemon(config).run();
            default -> {
                System.err.println("usage: LocalStack up|down|status|run");
                System.exit(2);
            }
        }
    }

    // ------------------------------------------------------------------ client side

    /** Starts the stack in the background unless it is running; returns true when it is healthy. */
    public static boolean up(StackConfig config, boolean verbose) throws IOException, InterruptedException {
        if (running(config)) {
            if (verbose) {
                System.out.println("Quarry local stack is already running.");
                printInfo(config);
            }
            return true;
        }
        ChildProcesses.killRecorded(config.pids());
        Files.createDirectories(config.logs());
        Files.deleteIfExists(config.stateDir().resolve("stack.json"));
        Path classpathFile = config.projectRoot().resolve("infra/local-stack/target/stack.classpath");
        if (!Files.exists(classpathFile)) {
            throw new IllegalStateException("The project is not built: run ./mvnw -B install -DskipTests first.");
        }
        String classpath = config.projectRoot().resolve("infra/local-stack/target/classes") + ":" + Files.readString(classpathFile).trim();
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid"); // its own session: a closing terminal does not take it down
        }
        cmd.addAll(List.of(Jdk.java().toString(), "-Xmx384m", "-XX:+UseSerialGC", "-cp", classpath,
                "-Dquarry.project.root=" + config.projectRoot(), StackDaemon.class.getName()));
        Process daemon = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(config.logs().resolve("stack.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (verbose) {
            System.out.println("Starting the Quarry local stack (logs in " + config.logs() + ") ...");
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        Path stackJson = config.stateDir().resolve("stack.json");
        while (System.nanoTime() < deadline) {
            if (Files.exists(stackJson) && JSON.readTree(stackJson.toFile()).path("ready").asBoolean()) {
                if (verbose) {
                    printInfo(config);
                }
                return true;
            }
            if (!daemon.isAlive() && !Files.exists(stackJson)) {
                System.err.println("The local stack failed to start. Last lines of " + config.logs().resolve("stack.log") + ":");
                tail(config.logs().resolve("stack.log"), 30).forEach(System.err::println);
                return false;
            }
            Thread.sleep(500);
        }
        System.err.println("The local stack did not become healthy within 5 minutes; see " + config.logs());
        return false;
    }

    public static void down(StackConfig config, boolean verbose) throws IOException {
        Path pidFile = config.stateDir().resolve("stack.pid");
        Optional<ProcessHandle> daemon = ChildProcesses.readPid(pidFile).flatMap(ProcessHandle::of);
        daemon.filter(ProcessHandle::isAlive).ifPresent(ChildProcesses::terminate);
        int leftovers = ChildProcesses.killRecorded(config.pids());
        Files.deleteIfExists(pidFile);
        Files.deleteIfExists(config.stateDir().resolve("stack.json"));
        if (verbose) {
            System.out.println(daemon.isPresent() || leftovers > 0 ? "Quarry local stack stopped." : "Quarry local stack was not running.");
        }
    }

    public static boolean running(StackConfig config) {
        Path pidFile = config.stateDir().resolve("stack.pid");
        Path stackJson = config.stateDir().resolve("stack.json");
        try {
            return ChildProcesses.readPid(pidFile).flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false)
                    && Files.exists(stackJson) && JSON.readTree(stackJson.toFile()).path("ready").asBoolean();
        } catch (IOException e) {
            return false;
        }
    }

    static boolean status(StackConfig config) throws IOException {
        if (!running(config)) {
            System.out.println("Quarry local stack is not running (start it with: scripts/quarry up).");
            return false;
        }
        System.out.println("Quarry local stack is running.");
        printInfo(config);
        StackMemory.print(config);
        return true;
    }

    static void printInfo(StackConfig config) throws IOException {
        var info = JSON.readTree(config.stateDir().resolve("stack.json").toFile());
        System.out.println("  API        " + info.path("api").asText() + "   (API key for tenant 'demo': " + info.path("apiKey").asText() + ")");
        System.out.println("  Console    " + info.path("api").asText() + "/console   (sign in as a user below, or with the API key above)");
        for (LocalUserPool.User user : config.userPool().read().users()) {
            if (user.password() != null) {
                System.out.println("  User       " + user.email() + " / " + user.password() + "   (tenant '" + user.tenant() + "'"
                        + (LocalUserPool.FORCE_CHANGE_PASSWORD.equals(user.status()) ? "; sets a new password on the first sign-in" : "") + ")");
            }
        }
        System.out.println("  Cognito    " + info.path("cognito").asText() + "   user pool " + info.path("userPoolId").asText()
                + ", app client " + info.path("clientId").asText());
        System.out.println("  OpenAPI    " + info.path("api").asText() + "/q/openapi");
        System.out.println("  S3         " + info.path("s3").asText() + "   bucket " + info.path("bucket").asText());
        System.out.println("  SQS        " + info.path("sqs").asText());
        System.out.println("  OpenSearch " + info.path("opensearch").asText());
        System.out.println("  Metrics    " + info.path("metrics").asText() + "   (Prometheus text, from the functions' EMF lines)");
        System.out.println("  Logs       " + config.logs());
        System.out.println("  Stop with  scripts/quarry down");
    }

    private static List<String> tail(Path file, int lines) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> all = Files.readAllLines(file);
        return all.subList(Math.max(0, all.size() - lines), all.size());
    }
}
