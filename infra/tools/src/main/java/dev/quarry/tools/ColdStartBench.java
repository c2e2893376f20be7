package dev.quarry.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.quarry.local.LambdaRuntimeApi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Cold start as Lambda sees it: each function's zip is unpacked like Lambda's /var/task, a fresh JVM starts the AWS
 * Lambda Java runtime interface client on it with the flags of the Terraform (JAVA_TOOL_OPTIONS) and of Lambda's
 * java21 runtime (serial GC, heap from the function's memory), against the local stack's Lambda Runtime API, and the
 * time from process start to the first answered invocation is taken. Every build (local and AWS) is measured in the
 * same run as a bare Quarkus handler ({@code infra/cold-start-reference}), and reported as a ratio to it.
 *
 * <p>No backend runs: S3 and OpenSearch point at a stub that answers 404 NoSuchKey, so a stage function builds its
 * clients and its model, reads its object, finds it gone and answers (a record for an object that no longer exists is
 * skipped, as in AWS); the query function answers {@code /v1/health} (503: no OpenSearch). What each answered is in
 * the report.
 */
final class ColdStartBench {
    static final String USAGE = "Bench cold-start [--builds local=target/bench-local,aws=target/aws] [--runs 5]"
            + " [--functions extract,chunk,embed,index,query] [--cpus 1] [--jvm-options \"...\"] [--out DIR]";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REGION = "us-east-1";
    private static final String REFERENCE = "reference";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    /** {@code appCds}: started with a dynamic AppCDS archive that a first, unmeasured start of the same sandbox wrote. */
    record Target(String build, String function, Path zip, int memoryMb, boolean appCds) {
        String label() {
            return function.equals(REFERENCE) ? "bare Quarkus handler" : function + " (" + build + ")";
        }

        String key() {
            return build.replace('+', '-') + "-" + function;
        }
    }

    record Sample(long millis, String answer) {
    }

    private ColdStartBench() {
    }

    static void run(String[] argv) throws Exception {
        Args args = Args.parse(argv, Set.of("builds", "runs", "functions", "cpus", "jvm-options", "out"), Set.of());
        Path root = ProjectPaths.root();
        Map<String, String> builds = new LinkedHashMap<>();
        for (String build : args.value("builds", "local=target/bench-local,aws=target/aws").split(",")) {
            String[] kv = build.split("=", 2);
            builds.put(kv[0].trim(), kv[1].trim());
        }
        int runs = args.intValue("runs", 5);
        int cpus = args.intValue("cpus", 1);
        List<String> functions = Arrays.asList(args.value("functions", "extract,chunk,embed,index,query").split(","));
        String extraJvmOptions = args.value("jvm-options", "");
        Path out = args.value("out").isPresent() ? Path.of(args.value("out", ""))
                : ProjectPaths.stateDir("bench", "cold-start-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(out);

        Map<String, Integer> memory = memoryByFunction(root);
        String javaToolOptions = terraformJavaToolOptions(root);
        List<Target> targets = new ArrayList<>();
        // The reference from the first build that has it (it is the same handler in every build).
        Map.Entry<String, String> referenceBuild = builds.entrySet().stream()
                .filter(b -> Files.isRegularFile(root.resolve("infra/cold-start-reference").resolve(b.getValue()).resolve("function.zip")))
                .findFirst().orElse(builds.entrySet().iterator().next());
        String firstBuild = builds.values().iterator().next();
        targets.add(new Target(referenceBuild.getKey(), REFERENCE,
                root.resolve("infra/cold-start-reference").resolve(referenceBuild.getValue()).resolve("function.zip"), 1024, false));
        // A build named "<name>+appcds" starts its functions with an AppCDS archive (the same zip otherwise).
        builds.forEach((build, dir) -> functions.forEach(f ->
                targets.add(new Target(build, f, root.resolve("functions").resolve(f).resolve(dir).resolve("function.zip"),
                        memory.getOrDefault(f, 1024), build.endsWith("+appcds")))));
        for (Target t : targets) {
            if (!Files.isRegularFile(t.zip())) {
                throw new Args.UsageException(t.zip() + " is missing: build it first (scripts/quarry bench cold-start builds"
                        + " both builds before it runs this)");
            }
            List<String> model = FunctionZips.inProcessModel(t.zip());
            if (t.build().startsWith("aws") && !model.isEmpty()) {
                throw new IllegalStateException(t.zip() + " is not an AWS build: it carries the in-process model " + model);
            }
        }

        Path sandboxes = Files.createTempDirectory("quarry-cold-start-");
        Map<Target, Path> tasks = new LinkedHashMap<>();
        for (Target t : targets) {
            tasks.put(t, unzip(t.zip(), sandboxes.resolve(t.key() + "/task")));
        }
        String ric = runtimeInterfaceClient(root, firstBuild);
        Map<Target, List<Sample>> samples = new LinkedHashMap<>();
        targets.forEach(t -> samples.put(t, new ArrayList<>()));
        HttpServer backend = missingEverything();
        String backendUrl = "http://127.0.0.1:" + backend.getAddress().getPort();
        try {
            System.out.printf(Locale.ROOT, "Cold start: %d targets x %d runs, JAVA_TOOL_OPTIONS=\"%s\", %s%n", targets.size(), runs,
                    javaToolOptions, cpus > 0 && taskset() ? cpus + " CPU(s) (taskset)" : "all CPUs");
            for (Target t : targets) {
                if (t.appCds()) {
                    Sample training = coldStart(t, tasks.get(t), ric, backendUrl, javaToolOptions, extraJvmOptions, cpus,
                            sandboxes.resolve(t.key() + "/tmp-training"));
                    System.out.printf(Locale.ROOT, "  AppCDS archive of %s written by a first start (%d ms, not counted)%n",
                            t.label(), training.millis());
                }
            }
            // Interleaved, so a busy moment of the machine spreads over every target instead of hitting one.
            for (int run = 1; run <= runs; run++) {
                for (Target t : targets) {
                    Sample s = coldStart(t, tasks.get(t), ric, backendUrl, javaToolOptions, extraJvmOptions, cpus,
                            sandboxes.resolve(t.key() + "/tmp-" + run));
                    samples.get(t).add(s);
                    if (run == 1) {
                        // what the sandbox printed on its first start, beside the report
                        Files.copy(sandboxes.resolve(t.key() + "/tmp-1/function.log"), out.resolve(t.key() + ".log"),
                                StandardCopyOption.REPLACE_EXISTING);
                    }
                    System.out.printf(Locale.ROOT, "  run %d %-28s %6d ms  %s%n", run, t.label(), s.millis(), abbreviate(s.answer()));
                }
            }
        } finally {
            backend.stop(0);
            deleteTree(sandboxes);
        }
        report(out, targets, samples, runs, javaToolOptions, extraJvmOptions, cpus);
    }

    /** One sandbox: a fresh JVM on the unpacked zip, timed from process start to the first response it posts. */
    private static Sample coldStart(Target t, Path task, String ric, String backend, String javaToolOptions,
            String extraJvmOptions, int cpus, Path tmp) throws Exception {
        Files.createDirectories(tmp);
        try (LambdaRuntimeApi api = new LambdaRuntimeApi(t.function(), REGION, 0, () -> { })) {
            Map<String, String> env = environment(t, task, api.address(), backend, javaToolOptions, tmp);
            List<String> cmd = new ArrayList<>();
            if (cpus > 0 && taskset()) {
                cmd.addAll(List.of("taskset", "-c", cpuList(cpus)));
            }
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // Lambda's java21 runtime: heap from the memory setting, serial GC, the JDK's CDS archive.
            cmd.addAll(List.of("-XX:MaxHeapSize=" + (t.memoryMb() * 85 / 100) + "m", "-XX:+UseSerialGC", "-Xshare:auto",
                    "-Djava.net.preferIPv4Stack=true", "-Djava.io.tmpdir=" + tmp,
                    // for the runtime interface client on a newer JDK than Lambda's, as the local stack starts it
                    "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED"));
            if (t.appCds()) {
                // Written when the first start exits (SIGTERM), read by every later start; Lambda's java21 supports both.
                cmd.addAll(List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + task.resolveSibling("app-cds.jsa")));
            }
            if (!extraJvmOptions.isBlank()) {
                cmd.addAll(Arrays.asList(extraJvmOptions.trim().split("\\s+")));
            }
            cmd.addAll(List.of("-cp", task + ":" + task + "/lib/*:" + ric,
                    "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", handler(t)));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(task.toFile())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("function.log").toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            // The invocation waits in the Runtime API before the sandbox starts, as Lambda's first event does.
            String event = event(t);
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return api.invoke(event, TIMEOUT);
                } catch (LambdaRuntimeApi.FunctionError e) {
                    return "ERROR " + e.getMessage();
                }
            });
            long t0 = System.nanoTime();
            Process process = pb.start();
            try {
                String response = answer.get(TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
                long millis = (System.nanoTime() - t0) / 1_000_000;
                if (response.startsWith("ERROR")) {
                    response += " | log: " + abbreviate(Files.readString(tmp.resolve("function.log")));
                }
                return new Sample(millis, response);
            } finally {
                // SIGTERM, as Lambda ends a sandbox: the JVM exits normally (and writes its AppCDS archive if asked to).
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static Map<String, String> environment(Target t, Path task, String runtimeApi, String backend,
            String javaToolOptions, Path tmp) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("AWS_LAMBDA_FUNCTION_NAME", "quarry-" + t.function());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(t.memoryMb()));
        env.put("LAMBDA_TASK_ROOT", task.toString());
        env.put("_HANDLER", handler(t));
        env.put("TMPDIR", tmp.toString());
        env.put("JAVA_TOOL_OPTIONS", javaToolOptions);
        env.put("AWS_REGION", REGION);
        env.put("AWS_DEFAULT_REGION", REGION);
        env.put("AWS_ACCESS_KEY_ID", "bench");
        env.put("AWS_SECRET_ACCESS_KEY", "bench");
        if (t.function().equals(REFERENCE)) {
            return env;
        }
        env.put("QUARRY_BUCKET", "quarry-bench");
        env.put("QUARRY_OPENSEARCH_ENDPOINT", backend);
        env.put("QUARRY_OPENSEARCH_SIGV4", "false");
        env.put("QUARKUS_S3_ENDPOINT_OVERRIDE", backend);
        env.put("QUARKUS_S3_PATH_STYLE_ACCESS", "true");
        env.put("QUARKUS_S3_AWS_REGION", REGION);
        env.put("QUARKUS_S3_AWS_CREDENTIALS_TYPE", "static");
        env.put("QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_ACCESS_KEY_ID", "bench");
        env.put("QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_SECRET_ACCESS_KEY", "bench");
        // The first event fails on purpose (nothing exists behind the stub). Its backoff between deliveries would build
        // an SQS client and call SQS: the failure path, not start-up, so it is off here (no visibility change).
        env.put("QUARRY_QUEUE_REDELIVERY_BASE_DELAY", "0s");
        if (t.build().equals("aws")) {
            // As Terraform configures the AWS build: Titan on Bedrock (built, never called here).
            env.put("QUARRY_EMBEDDING_PROVIDER", "bedrock");
            env.put("QUARRY_EMBEDDING_MODEL_ID", "amazon.titan-embed-text-v2:0");
            env.put("QUARRY_EMBEDDING_DIMENSION", "1024");
        }
        return env;
    }

    /** The handler Terraform configures; Quarkus dispatches to the function's one RequestHandler. */
    private static String handler(Target t) {
        return "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";
    }

    /** What Lambda would deliver first: an SQS batch of one S3 notification for the stage, an HTTP API request for query. */
    static String event(Target t) throws IOException {
        return switch (t.function()) {
            case REFERENCE -> "{}";
            case "query" -> """
                    {"version":"2.0","routeKey":"$default","rawPath":"/v1/health","rawQueryString":"","headers":{"accept":"application/json"},
                     "requestContext":{"http":{"method":"GET","path":"/v1/health","protocol":"HTTP/1.1","sourceIp":"127.0.0.1"},"requestId":"cold-start","stage":"$default"},
                     "isBase64Encoded":false}""";
            default -> sqsEvent(t.function(), objectKey(t.function()));
        };
    }

    private static String objectKey(String function) {
        return switch (function) {
            case "extract" -> "documents/bench/cold-start.pdf";
            case "chunk" -> "work/extracted/bench/cold-start/v1/part-0.json";
            case "embed" -> "work/chunks/bench/cold-start/v1/part-0.json";
            default -> "work/embedded/bench/cold-start/v1/part-0.json";
        };
    }

    private static String sqsEvent(String function, String key) throws IOException {
        ObjectNode s3 = JSON.createObjectNode();
        ArrayNode records = s3.putArray("Records");
        ObjectNode r = records.addObject();
        r.put("eventVersion", "2.1").put("eventSource", "aws:s3").put("awsRegion", REGION)
                .put("eventTime", "2026-01-01T00:00:00.000Z").put("eventName", "ObjectCreated:Put");
        ObjectNode detail = r.putObject("s3");
        detail.put("s3SchemaVersion", "1.0").put("configurationId", "cold-start");
        detail.putObject("bucket").put("name", "quarry-bench").put("arn", "arn:aws:s3:::quarry-bench");
        detail.putObject("object").put("key", key).put("size", 1024).put("eTag", "0123456789abcdef0123456789abcdef")
                .put("sequencer", "0055AED6DCD90281E5");
        ObjectNode sqs = JSON.createObjectNode();
        ObjectNode m = sqs.putArray("Records").addObject();
        m.put("messageId", "cold-start-1").put("receiptHandle", "cold-start").put("body", JSON.writeValueAsString(s3));
        m.putObject("attributes").put("ApproximateReceiveCount", "1").put("SentTimestamp", "1767225600000")
                .put("SenderId", "bench").put("ApproximateFirstReceiveTimestamp", "1767225600000");
        m.putObject("messageAttributes");
        m.put("md5OfBody", "").put("eventSource", "aws:sqs")
                .put("eventSourceARN", "arn:aws:sqs:" + REGION + ":000000000000:quarry-" + function).put("awsRegion", REGION);
        return JSON.writeValueAsString(sqs);
    }

    /** S3 and OpenSearch stand-in: every object is gone (404 NoSuchKey), so nothing is read or written. */
    private static HttpServer missingEverything() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>"
                        + "<Message>The specified key does not exist.</Message></Error>").getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/xml");
                if (ex.getRequestMethod().equals("HEAD")) {
                    ex.sendResponseHeaders(404, -1);
                } else {
                    ex.sendResponseHeaders(404, body.length);
                    ex.getResponseBody().write(body);
                }
            }
        });
        server.start();
        return server;
    }

    /** Memory of each stage from infra/pipeline.json (as Terraform sets it), query from the module's default. */
    static Map<String, Integer> memoryByFunction(Path root) throws IOException {
        Map<String, Integer> memory = new LinkedHashMap<>();
        for (JsonNode stage : JSON.readTree(root.resolve("infra/pipeline.json").toFile()).path("stages")) {
            memory.put(stage.path("function").asText(), stage.path("memoryMb").asInt());
        }
        String variables = Files.readString(root.resolve("terraform/modules/quarry/variables.tf"));
        Matcher query = Pattern.compile("(?s)variable \"query_memory_mb\"\\s*\\{.*?default\\s*=\\s*(\\d+)").matcher(variables);
        if (query.find()) {
            memory.put("query", Integer.parseInt(query.group(1)));
        }
        return memory;
    }

    /** The JAVA_TOOL_OPTIONS the Terraform gives JVM functions, so the bench starts them as Lambda will. */
    static String terraformJavaToolOptions(Path root) throws IOException {
        Matcher m = Pattern.compile("JAVA_TOOL_OPTIONS\\s*=\\s*\"([^\"]*)\"")
                .matcher(Files.readString(root.resolve("terraform/modules/quarry/lambda.tf")));
        if (!m.find()) {
            throw new IllegalStateException("No JAVA_TOOL_OPTIONS in terraform/modules/quarry/lambda.tf");
        }
        return m.group(1);
    }

    /** The runtime interface client jars the local stack's build copied from Maven Central (its dist/lambda-ric). */
    private static String runtimeInterfaceClient(Path root, String buildDir) throws IOException {
        Path dir = root.resolve("infra/local-stack").resolve(buildDir).resolve("dist/lambda-ric");
        if (!Files.isDirectory(dir)) {
            dir = root.resolve("infra/local-stack/target/dist/lambda-ric");
        }
        if (!Files.isDirectory(dir)) {
            throw new Args.UsageException(dir + " is missing: build infra/local-stack first (it copies the runtime interface client)");
        }
        try (Stream<Path> jars = Files.list(dir)) {
            return String.join(":", jars.map(Path::toString).filter(p -> p.endsWith(".jar")).sorted().toList());
        }
    }

    private static Path unzip(Path zip, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                Path target = dir.resolve(e.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("Zip entry outside the task root: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return dir;
    }

    private static void report(Path out, List<Target> targets, Map<Target, List<Sample>> samples, int runs,
            String javaToolOptions, String extraJvmOptions, int cpus) throws IOException {
        double reference = median(samples.get(targets.get(0)));
        MarkdownTable table = new MarkdownTable("function", "build", "zip MiB", "median ms", "min ms", "x bare handler", "first answer");
        ObjectNode json = JSON.createObjectNode();
        json.put("runs", runs).put("javaToolOptions", javaToolOptions).put("extraJvmOptions", extraJvmOptions)
                .put("cpus", cpus).put("java", Runtime.version().toString())
                .put("referenceMedianMillis", reference);
        ArrayNode rows = json.putArray("targets");
        for (Target t : targets) {
            List<Sample> s = samples.get(t);
            double median = median(s);
            long min = s.stream().mapToLong(Sample::millis).min().orElse(0);
            double zipMiB = Files.size(t.zip()) / 1048576.0;
            String answer = s.get(0).answer();
            table.row(t.function().equals(REFERENCE) ? "bare Quarkus handler" : t.function(), t.build(), zipMiB, median, min,
                    median / reference, abbreviate(answer));
            ObjectNode row = rows.addObject();
            row.put("function", t.function()).put("build", t.build()).put("zip", t.zip().toString())
                    .put("zipBytes", Files.size(t.zip())).put("medianMillis", median).put("minMillis", min)
                    .put("ratioToReference", median / reference).put("firstAnswer", answer);
            ArrayNode millis = row.putArray("millis");
            s.forEach(x -> millis.add(x.millis()));
        }
        String markdown = "Cold start (process start to first answered invocation), median of " + runs + " runs, "
                + "JAVA_TOOL_OPTIONS=\"" + javaToolOptions + "\"" + (extraJvmOptions.isBlank() ? "" : " + " + extraJvmOptions)
                + ", Java " + Runtime.version() + "\n\n" + table.render() + "\n";
        Files.writeString(out.resolve("cold-start.md"), markdown);
        Files.writeString(out.resolve("results.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        System.out.println();
        System.out.println(markdown);
        System.out.println("Written to " + out);
    }

    static double median(List<Sample> samples) {
        long[] sorted = samples.stream().mapToLong(Sample::millis).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }

    private static boolean taskset() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "taskset")));
    }

    private static String cpuList(int cpus) {
        int available = Runtime.getRuntime().availableProcessors();
        int first = Math.max(0, available - cpus);
        return first + "-" + (available - 1);
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() <= 90 ? one : one.substring(0, 87) + "...";
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
