package dev.quarry.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lambda: the functions (the pipeline stages of infra/pipeline.json plus the query API), each with
 * its Runtime API, and their sandboxes: JVMs running the function's runner jar under the AWS Lambda
 * Java runtime interface client. A sandbox that crashes is replaced, and one whose invocation timed
 * out is discarded, as Lambda does.
 */
final class LambdaService implements AutoCloseable {
    static final List<String> FUNCTIONS = List.of("extract", "chunk", "embed", "index", "query");

    private final StackConfig config;
    private final Pipeline pipeline;
    private final ChildProcesses processes;
    private final String ric;
    private final Map<String, LambdaRuntimeApi> apis = new LinkedHashMap<>();
    private final Map<String, Sandbox> sandboxes = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    private record Sandbox(String function, int instance, LambdaRuntimeApi api, Process process) {
    }

    LambdaService(StackConfig config, Pipeline pipeline, ChildProcesses processes) throws IOException {
        this.config = config;
        this.pipeline = pipeline;
        this.processes = processes;
        try (var jars = Files.list(config.dist().resolve("lambda-ric"))) {
            this.ric = String.join(":", jars.map(Path::toString).sorted().toList());
        }
    }

    /** Creates every function and starts its sandboxes; crashed sandboxes are replaced from then on. */
    void start() throws IOException {
        int port = config.runtimeApiBasePort();
        for (String function : FUNCTIONS) {
            LambdaRuntimeApi api = new LambdaRuntimeApi(function, config.region(), port++, () -> discardSandboxes(function));
            apis.put(function, api);
            int instances = function.equals("query") ? config.queryInstances() : 1;
            for (int i = 0; i < instances; i++) {
                startSandbox(function, i, api);
            }
        }
        Thread t = new Thread(this::supervise, "function-supervisor");
        t.setDaemon(true);
        t.start();
    }

    /** The Runtime API through which the function is invoked. */
    LambdaRuntimeApi function(String name) {
        LambdaRuntimeApi api = apis.get(name);
        if (api == null) {
            throw new IllegalArgumentException("No function " + name);
        }
        return api;
    }

    /** Like Lambda replacing a crashed sandbox: a function process that dies is started again. */
    private void supervise() {
        while (!stopping) {
            Servers.sleep(2000);
            for (var entry : new ArrayList<>(sandboxes.entrySet())) {
                Sandbox s = entry.getValue();
                if (!stopping && !s.process().isAlive()) {
                    System.err.println("Function process " + entry.getKey() + " exited (" + s.process().exitValue() + "); starting a new one");
                    startSandbox(s.function(), s.instance(), s.api());
                }
            }
        }
    }

    /** What Lambda does to a sandbox whose invocation timed out: it is discarded (the supervisor starts a new one). */
    private void discardSandboxes(String function) {
        sandboxes.values().stream().filter(s -> s.function().equals(function)).forEach(s -> s.process().destroyForcibly());
    }

    private void startSandbox(String function, int instance, LambdaRuntimeApi api) {
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
        sandboxes.put(name, new Sandbox(function, instance, api, processes.start(name, cmd, env, target)));
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

    void stopSupervising() {
        stopping = true;
    }

    /** Closes the Runtime APIs; the sandboxes are stopped with the stack's other child processes. */
    @Override
    public void close() {
        stopSupervising();
        apis.values().forEach(LambdaRuntimeApi::close);
    }
}
