package dev.quarry.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The local stack: real OpenSearch (+ k-NN), ElasticMQ (SQS) and S3Mock (S3) servers, S3 event
 * notifications, the Lambda runtime API with every function running in its own JVM under the AWS
 * Lambda runtime interface client, SQS event sources, and an HTTP API gateway for the query function.
 *
 * <pre>
 * up      start in the background (no-op if already up) and wait until healthy
 * down    stop everything this stack started
 * status  say whether it is up, with endpoints
 * run     run in the foreground (what 'up' starts)
 * </pre>
 */
public final class LocalStack {
    static final ObjectMapper JSON = new ObjectMapper();
    public static final List<String> FUNCTIONS = List.of("extract", "chunk", "embed", "index", "query");

    private final StackConfig config;
    private final Pipeline pipeline;
    private final ChildProcesses processes;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<SqsEventSource> eventSources = new ArrayList<>();
    private final Map<String, Object> report = new LinkedHashMap<>();
    private final Map<String, FunctionProcess> functionProcesses = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean stopping;

    LocalStack(StackConfig config) {
        this.config = config;
        this.pipeline = Pipeline.load(config.projectRoot());
        this.processes = new ChildProcesses(config);
    }

    public static void main(String[] args) throws Exception {
        StackConfig config = StackConfig.load(StackConfig.findProjectRoot());
        String command = args.length == 0 ? "status" : args[0];
        switch (command) {
            case "up" -> System.exit(up(config, true) ? 0 : 1);
            case "down" -> down(config, true);
            case "status" -> System.exit(status(config) ? 0 : 3);
            case "run" -> new LocalStack(config).run();
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
                "-Dquarry.project.root=" + config.projectRoot(), "dev.quarry.local.LocalStack", "run"));
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
        printMemory(config);
        return true;
    }

    static void printInfo(StackConfig config) throws IOException {
        var info = JSON.readTree(config.stateDir().resolve("stack.json").toFile());
        System.out.println("  API        " + info.path("api").asText() + "   (API key for tenant 'demo': " + info.path("apiKey").asText() + ")");
        System.out.println("  Console    " + info.path("api").asText() + "/console   (sign in with the API key above)");
        System.out.println("  OpenAPI    " + info.path("api").asText() + "/q/openapi");
        System.out.println("  S3         " + info.path("s3").asText() + "   bucket " + info.path("bucket").asText());
        System.out.println("  SQS        " + info.path("sqs").asText());
        System.out.println("  OpenSearch " + info.path("opensearch").asText());
        System.out.println("  Logs       " + config.logs());
        System.out.println("  Stop with  scripts/quarry down");
    }

    /** Resident memory now and at peak (VmRSS, VmHWM from /proc) of every process of the stack. */
    static void printMemory(StackConfig config) throws IOException {
        Map<String, Long> pids = new java.util.TreeMap<>();
        ChildProcesses.readPid(config.stateDir().resolve("stack.pid")).ifPresent(p -> pids.put("stack (S3 proxy, SQS, gateway)", p));
        if (Files.isDirectory(config.pids())) {
            try (var files = Files.list(config.pids())) {
                files.forEach(f -> ChildProcesses.readPid(f).ifPresent(p -> pids.put(f.getFileName().toString().replace(".pid", ""), p)));
            }
        }
        long total = 0;
        System.out.printf("  %-34s %10s %10s%n", "process", "RSS MiB", "peak MiB");
        for (var e : pids.entrySet()) {
            long[] mem = memoryOf(e.getValue());
            if (mem != null) {
                total += mem[0];
                System.out.printf("  %-34s %10d %10d%n", e.getKey(), mem[0] / 1024, mem[1] / 1024);
            }
        }
        System.out.printf("  %-34s %10d%n", "total", total / 1024);
    }

    /** {VmRSS, VmHWM} in KiB of the process (setpriv execs OpenSearch, so the pid is OpenSearch's). */
    static long[] memoryOf(long pid) {
        var handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return null;
        }
        long rss = 0;
        long peak = 0;
        for (ProcessHandle h : List.of(handle.get())) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + h.pid() + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rss += Long.parseLong(line.replaceAll("\\D", ""));
                    } else if (line.startsWith("VmHWM:")) {
                        peak += Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // the process ended meanwhile
            }
        }
        return new long[] {rss, peak};
    }

    private static List<String> tail(Path file, int lines) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> all = Files.readAllLines(file);
        return all.subList(Math.max(0, all.size() - lines), all.size());
    }

    // ------------------------------------------------------------------ the daemon

    void run() throws Exception {
        Files.createDirectories(config.stateDir());
        try (RandomAccessFile lockFile = new RandomAccessFile(config.stateDir().resolve("stack.lock").toFile(), "rw");
             FileLock lock = lockFile.getChannel().tryLock()) {
            if (lock == null) {
                System.err.println("Another local stack holds " + config.stateDir().resolve("stack.lock") + "; not starting twice.");
                System.exit(1);
            }
            Files.writeString(config.stateDir().resolve("stack.pid"), Long.toString(ProcessHandle.current().pid()));
            Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "stack-shutdown"));
            try {
                start();
            } catch (Exception e) {
                System.err.println("Local stack failed to start: " + e.getMessage());
                e.printStackTrace();
                stop();
                Runtime.getRuntime().halt(1);
            }
            Thread.currentThread().join(); // until SIGTERM runs the shutdown hook
        }
    }

    private void start() throws Exception {
        long t0 = System.nanoTime();
        Servers servers = new Servers(config, processes);
        // The two child servers start first and in parallel: they are the slow part.
        Process openSearch = servers.startOpenSearch();
        Process s3Mock = servers.startS3Mock();
        CompletableFuture<Long> openSearchUp = CompletableFuture.supplyAsync(() -> {
            Servers.waitFor("OpenSearch", Duration.ofMinutes(4), openSearch, config.logs().resolve("opensearch.log"), servers::openSearchHealthy);
            return millisSince(t0);
        });
        CompletableFuture<Long> s3Up = CompletableFuture.supplyAsync(() -> {
            Servers.waitFor("S3Mock", Duration.ofMinutes(2), s3Mock, config.logs().resolve("s3mock.log"), servers::s3MockHealthy);
            return millisSince(t0);
        });

        long sqsStart = System.nanoTime();
        SQSRestServer sqsServer = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(config.sqsPort())
                .withAWSRegion(config.region()).withAWSAccountId("000000000000").start();
        sqsServer.waitUntilStarted();
        closeables.add(sqsServer::stopAndWait);
        report.put("sqsHealthyMillis", millisSince(sqsStart));
        SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(config.sqsEndpoint()))
                .region(Region.of(config.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
        closeables.add(sqs);
        Map<String, String> queueUrls = createQueues(sqs);

        S3NotifyingProxy proxy = new S3NotifyingProxy(config.s3Port(), "http://127.0.0.1:" + config.s3MockPort(),
                config.region(), (keyAndEvent, json) -> route(sqs, queueUrls, keyAndEvent, json));
        closeables.add(proxy);

        report.put("s3HealthyMillis", s3Up.get());
        allowConsoleOrigin();
        report.put("openSearchHealthyMillis", openSearchUp.get());
        // No index is created here: as in AWS, each function creates the indices it uses (OpenSearchIndices).

        startFunctions(sqs, queueUrls);
        report.put("allHealthyMillis", millisSince(t0));
        writeStackJson(true);
        System.out.println("Local stack ready in " + millisSince(t0) + " ms: " + report);
    }

    /**
     * The bucket's CORS rule, as Terraform sets it (terraform/modules/quarry/s3.tf, console_origin): the
     * console's origin, and only it, may PUT a presigned upload and GET a presigned PDF.
     */
    private void allowConsoleOrigin() {
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(config.s3Endpoint())).forcePathStyle(true)
                .region(Region.of(config.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build()) {
            s3.putBucketCors(b -> b.bucket(config.bucket()).corsConfiguration(c -> c.corsRules(CORSRule.builder()
                    .allowedOrigins(config.apiUrl())
                    .allowedMethods("GET", "PUT")
                    .allowedHeaders("content-type")
                    .exposeHeaders("ETag")
                    .maxAgeSeconds(3600)
                    .build())));
        }
    }

    private Map<String, String> createQueues(SqsClient sqs) {
        Map<String, String> urls = new LinkedHashMap<>();
        for (Pipeline.Stage stage : pipeline.stages()) {
            String dlqUrl = sqs.createQueue(b -> b.queueName(stage.dlqName())
                    .attributes(Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600"))).queueUrl();
            String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            String redrive = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + stage.maxReceiveCount() + "\"}";
            String url = sqs.createQueue(b -> b.queueName(stage.queueName()).attributes(Map.of(
                    QueueAttributeName.REDRIVE_POLICY, redrive,
                    QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(config.localVisibilityTimeoutSeconds())))).queueUrl();
            urls.put(stage.queue(), url);
            urls.put(stage.queue() + "-dlq", dlqUrl);
        }
        return urls;
    }

    /** Sends an S3 notification to every queue whose trigger matches, as the bucket's notification configuration does. */
    private void route(SqsClient sqs, Map<String, String> queueUrls, String keyAndEvent, String json) {
        String key = keyAndEvent.substring(0, keyAndEvent.indexOf('\u0000'));
        String event = keyAndEvent.substring(keyAndEvent.indexOf('\u0000') + 1);
        for (Pipeline.Stage stage : pipeline.stages()) {
            if (stage.triggers().stream().anyMatch(t -> t.matches(key, event))) {
                sqs.sendMessage(b -> b.queueUrl(queueUrls.get(stage.queue())).messageBody(json));
            }
        }
    }

    private void startFunctions(SqsClient sqs, Map<String, String> queueUrls) throws IOException {
        Path ricDir = config.dist().resolve("lambda-ric");
        String ric;
        try (var jars = Files.list(ricDir)) {
            ric = String.join(":", jars.map(Path::toString).sorted().toList());
        }
        int port = config.runtimeApiBasePort();
        Map<String, LambdaRuntimeApi> apis = new LinkedHashMap<>();
        for (String function : FUNCTIONS) {
            LambdaRuntimeApi api = new LambdaRuntimeApi(function, config.region(), port++, () -> killSandboxes(function));
            closeables.add(api);
            apis.put(function, api);
            int instances = function.equals("query") ? config.queryInstances() : 1;
            for (int i = 0; i < instances; i++) {
                startFunction(function, i, api, ric);
            }
        }
        for (Pipeline.Stage stage : pipeline.stages()) {
            SqsEventSource source = new SqsEventSource(stage, sqs, queueUrls.get(stage.queue()), config.region(),
                    apis.get(stage.function()), config.localVisibilityTimeoutSeconds());
            eventSources.add(source);
            Thread t = new Thread(source, "event-source-" + stage.queue());
            t.setDaemon(true);
            t.start();
        }
        superviseFunctions();
        HttpApiGateway gateway = new HttpApiGateway(config.apiPort(), apis.get("query"), config::apiKeys, "custom:tenant");
        closeables.add(gateway);
        // Warm the query function once: the first request pays the JVM cold start.
        long t = System.nanoTime();
        String health = apis.get("query").invoke("""
                {"version":"2.0","routeKey":"$default","rawPath":"/v1/health","rawQueryString":"","headers":{"accept":"application/json"},
                 "requestContext":{"http":{"method":"GET","path":"/v1/health","protocol":"HTTP/1.1","sourceIp":"127.0.0.1"},"requestId":"warmup","stage":"$default"},
                 "isBase64Encoded":false}""", Duration.ofSeconds(120));
        report.put("queryColdStartMillis", millisSince(t));
        if (!health.contains("\"statusCode\":200")) {
            throw new IllegalStateException("The query function is not healthy: " + health);
        }
    }

    /** Like Lambda replacing a crashed sandbox: a function process that dies is started again. */
    private void superviseFunctions() {
        Thread t = new Thread(() -> {
            while (!stopping) {
                Servers.sleep(2000);
                for (var entry : new ArrayList<>(functionProcesses.entrySet())) {
                    if (!stopping && !entry.getValue().process().isAlive()) {
                        FunctionProcess f = entry.getValue();
                        System.err.println("Function process " + entry.getKey() + " exited (" + f.process().exitValue() + "); starting a new one");
                        startFunction(f.function(), f.instance(), f.api(), f.ric());
                    }
                }
            }
        }, "function-supervisor");
        t.setDaemon(true);
        t.start();
    }

    /** What Lambda does to a sandbox whose invocation timed out: it is discarded (the supervisor starts a new one). */
    private void killSandboxes(String function) {
        functionProcesses.values().stream().filter(f -> f.function().equals(function))
                .forEach(f -> f.process().destroyForcibly());
    }

    private record FunctionProcess(String function, int instance, LambdaRuntimeApi api, String ric, Process process) {
    }

    private void startFunction(String function, int instance, LambdaRuntimeApi api, String ric) {
        Path target = config.projectRoot().resolve("functions/" + function + "/target");
        Path runner = target.resolve("quarry-function-" + function + "-0.1.0-SNAPSHOT-runner.jar");
        if (!Files.exists(runner)) {
            throw new IllegalStateException(runner + " is missing: build the project first (./mvnw -B install -DskipTests).");
        }
        Map<String, String> env = new LinkedHashMap<>(config.functionEnvironment());
        env.put("AWS_LAMBDA_RUNTIME_API", api.address());
        env.put("AWS_LAMBDA_FUNCTION_NAME", "quarry-" + function);
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memoryOf(function)));
        // As Terraform does: a function gives up a record on the last delivery its queue's redrive policy allows.
        pipeline.stages().stream().filter(s -> s.function().equals(function)).findFirst()
                .ifPresent(s -> env.put("QUARRY_QUEUE_MAX_RECEIVE_COUNT", Integer.toString(s.maxReceiveCount())));
        env.put("LAMBDA_TASK_ROOT", target.toString());
        env.put("_HANDLER", "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest");
        String heap = System.getenv().getOrDefault("QUARRY_" + function.toUpperCase() + "_HEAP", heapOf(function));
        // Each sandbox has its own /tmp, as in Lambda (the runtime client unpacks its JNI library there).
        Path tmp = config.stateDir().resolve("tmp/" + function + "-" + instance);
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create " + tmp, e);
        }
        env.put("TMPDIR", tmp.toString());
        List<String> cmd = List.of(Jdk.java().toString(), "-Xmx" + heap, "-Djava.io.tmpdir=" + tmp,
                "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xss512k", "-XX:ReservedCodeCacheSize=64m", "-XX:MaxMetaspaceSize=192m",
                "-cp", runner + ":" + ric,
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest");
        String name = "function-" + function + (instance == 0 ? "" : "-" + instance);
        functionProcesses.put(name, new FunctionProcess(function, instance, api, ric, processes.start(name, cmd, env, target)));
    }

    private int memoryOf(String function) {
        return pipeline.stages().stream().filter(s -> s.function().equals(function)).mapToInt(Pipeline.Stage::memoryMb)
                .findFirst().orElse(1024);
    }

    private static String heapOf(String function) {
        return switch (function) {
            case "extract", "embed", "chunk" -> "384m";
            case "query" -> "256m";
            default -> "192m";
        };
    }

    private void writeStackJson(boolean ready) throws IOException {
        ObjectNode info = JSON.createObjectNode();
        info.put("ready", ready);
        info.put("pid", ProcessHandle.current().pid());
        info.put("api", config.apiUrl());
        info.put("apiKey", config.apiKeys().entrySet().stream().filter(e -> e.getValue().equals("demo"))
                .map(Map.Entry::getKey).findFirst().orElse(""));
        info.put("s3", config.s3Endpoint());
        info.put("bucket", config.bucket());
        info.put("sqs", config.sqsEndpoint());
        info.put("opensearch", config.openSearchEndpoint());
        info.set("startup", JSON.valueToTree(report));
        Path tmp = config.stateDir().resolve("stack.json.tmp");
        Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(info));
        Files.move(tmp, config.stateDir().resolve("stack.json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private synchronized void stop() {
        stopping = true;
        eventSources.forEach(SqsEventSource::stop);
        eventSources.clear();
        processes.stopAll();
        List<AutoCloseable> copy = new ArrayList<>(closeables);
        java.util.Collections.reverse(copy);
        for (AutoCloseable c : copy) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("stopping: " + e.getMessage());
            }
        }
        closeables.clear();
        try {
            Files.deleteIfExists(config.stateDir().resolve("stack.json"));
            Files.deleteIfExists(config.stateDir().resolve("stack.pid"));
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
