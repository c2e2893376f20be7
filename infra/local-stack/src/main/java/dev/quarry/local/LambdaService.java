package dev.quarry.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lambda: the functions (the pipeline stages of infra/pipeline.json plus the query API) and their
 * sandboxes, each a JVM running the function's runner jar under the AWS Lambda Java runtime
 * interface client against a Runtime API of its own. A stage function runs as many sandboxes at once
 * as its event source mapping's maximumConcurrency, within the stack's {@link MemoryBound}; query
 * runs {@code QUARRY_QUERY_INSTANCES}. Crashed sandboxes are replaced and one whose invocation timed
 * out is discarded, as Lambda does.
 */
final class LambdaService implements AutoCloseable {
    static final List<String> FUNCTIONS = List.of("extract", "chunk", "embed", "index", "query");

    private final StackConfig config;
    private final Pipeline pipeline;
    private final ChildProcesses processes;
    private final String ric;
    private final Path ricNativeLibrary;
    private final MemoryBound memory;
    private final Map<String, LambdaFunction> functions = new LinkedHashMap<>();
    private final Set<ProcessSandbox> sandboxes = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    LambdaService(StackConfig config, Pipeline pipeline, ChildProcesses processes) throws IOException {
        this.config = config;
        this.pipeline = pipeline;
        this.processes = processes;
        this.memory = new MemoryBound(MemoryBound.BOUND_MIB, this::residentMib);
        List<Path> ricJars;
        try (var jars = Files.list(config.dist().resolve("lambda-ric"))) {
            ricJars = jars.sorted().toList();
        }
        this.ric = String.join(":", ricJars.stream().map(Path::toString).toList());
        this.ricNativeLibrary = unpackRicNativeLibrary(ricJars, config.stateDir().resolve("lambda-ric"));
    }

    /**
     * The runtime interface client's JNI library, unpacked once per stack. Left to itself, every sandbox copies it to
     * the fixed path /tmp/.libaws-lambda-jni.so as it starts, which is safe in Lambda, where each execution environment
     * has a /tmp of its own, but not here, where sandboxes share one: a sandbox that rewrote the file while another was
     * loading it crashed that one with SIGBUS. It is written under a temporary name and renamed into place, so no
     * process ever maps a half-written file, and each sandbox loads it from there
     * ({@code -Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI}, the client's own switch).
     */
    static Path unpackRicNativeLibrary(List<Path> ricJars, Path dir) throws IOException {
        String arch = System.getProperty("os.arch").matches("aarch64|arm64") ? "aarch_64" : "x86_64";
        String entry = "jni/libaws-lambda-jni.linux-" + arch + ".so";
        for (Path jar : ricJars) {
            try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
                java.util.zip.ZipEntry lib = zip.getEntry(entry);
                if (lib == null) {
                    continue;
                }
                Files.createDirectories(dir);
                Path target = dir.resolve("libaws-lambda-jni.so");
                Path partial = Files.createTempFile(dir, "libaws-lambda-jni", ".part");
                try (var in = zip.getInputStream(lib)) {
                    Files.copy(in, partial, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(partial, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                return target;
            }
        }
        throw new IOException("No " + entry + " in the runtime interface client " + ricJars);
    }

    /** Creates every function and starts its warm sandboxes; from then on they are supervised. */
    void start() {
        for (String name : FUNCTIONS) {
            int warm = name.equals("query") ? config.queryInstances() : 1;
            int concurrency = stage(name).map(s -> Math.max(warm, s.maximumConcurrency())).orElse(warm);
            LambdaFunction function = new LambdaFunction(name, warm, concurrency,
                    MemoryBound.sandboxBudgetMib(heapMib(name)), memory, instance -> startSandbox(name, name, Map.of(), instance, warm),
                    System::nanoTime);
            function.start();
            functions.put(name, function);
        }
        Thread t = new Thread(this::supervise, "function-supervisor");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Another deployment of {@code function}'s zip, named {@code deployment}, whose environment is the stack's with
     * {@code environment} added: what Lambda runs for a second function created from the same code with other
     * settings (an IT's chat model, say). It has one sandbox of its own, started now; it is not supervised and not
     * wired to a queue or the gateway. {@link #close()} stops it.
     */
    LambdaFunction deploy(String function, String deployment, Map<String, String> environment) {
        LambdaFunction f = new LambdaFunction(deployment, 1, 1, MemoryBound.sandboxBudgetMib(heapMib(function)), memory,
                instance -> startSandbox(function, deployment, environment, instance, 1), System::nanoTime);
        f.start();
        return f;
    }

    LambdaFunction function(String name) {
        LambdaFunction function = functions.get(name);
        if (function == null) {
            throw new IllegalArgumentException("No function " + name);
        }
        return function;
    }

    private void supervise() {
        while (!stopping) {
            Servers.sleep(2000);
            for (LambdaFunction f : functions.values()) {
                if (!stopping) {
                    f.supervise().forEach(what -> System.err.println("Function " + f.name() + ": " + what));
                }
            }
        }
    }

    /**
     * What the processes that always run hold now: this JVM (SQS, S3 proxy, gateway), the servers and
     * the warm sandboxes. Sandboxes beyond the warm ones count in {@link MemoryBound} with their budget.
     */
    private long residentMib() {
        Set<Long> extra = ConcurrentHashMap.newKeySet();
        sandboxes.stream().filter(ProcessSandbox::extra).forEach(s -> extra.add(s.process().pid()));
        long kib = StackMemory.residentKib(ProcessHandle.current().pid());
        for (Process p : processes.running()) {
            if (!extra.contains(p.pid())) {
                kib += StackMemory.residentKib(p.pid());
            }
        }
        return kib / 1024;
    }

    /** One sandbox's process and Runtime API; equal only to itself (it sits in a set that it also holds). */
    private static final class ProcessSandbox implements LambdaFunction.Sandbox {
        private final String name;
        private final boolean extra;
        private final boolean deployed;
        private final LambdaRuntimeApi api;
        private final Process process;
        private final ChildProcesses processes;
        private final Set<ProcessSandbox> registry;

        ProcessSandbox(String name, boolean extra, boolean deployed, LambdaRuntimeApi api, Process process, ChildProcesses processes,
                Set<ProcessSandbox> registry) {
            this.name = name;
            this.extra = extra;
            this.deployed = deployed;
            this.api = api;
            this.process = process;
            this.processes = processes;
            this.registry = registry;
        }

        boolean extra() {
            return extra;
        }

        /** A sandbox of a {@link #deploy deployment}, which the stack's shutdown does not know of. */
        boolean deployed() {
            return deployed;
        }

        Process process() {
            return process;
        }

        LambdaRuntimeApi api() {
            return api;
        }

        @Override
        public String invoke(String payload, Duration timeout) {
            return api.invoke(payload, timeout);
        }

        @Override
        public boolean alive() {
            return process.isAlive();
        }

        @Override
        public void stop() {
            processes.stop(name, process);
            api.close();
            registry.remove(this);
        }
    }

    private LambdaFunction.Sandbox startSandbox(String function, String deployment, Map<String, String> environment, int instance,
            int warm) {
        Path target = config.projectRoot().resolve("functions/" + function + "/target");
        Path runner = target.resolve("quarry-function-" + function + "-0.1.0-SNAPSHOT-runner.jar");
        if (!Files.exists(runner)) {
            throw new IllegalStateException(runner + " is missing: build the project first (scripts/quarry build).");
        }
        // Each sandbox has its own /tmp, as in Lambda (the runtime client unpacks its JNI library there).
        Path tmp = config.stateDir().resolve("tmp/" + deployment + "-" + instance);
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create " + tmp, e);
        }
        Process[] process = new Process[1];
        LambdaRuntimeApi api;
        try {
            // What Lambda does to a sandbox whose invocation timed out: it is discarded.
            api = new LambdaRuntimeApi(deployment, config.region(), 0, () -> process[0].destroyForcibly());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot open a Runtime API for " + function + ": " + e.getMessage(), e);
        }
        Map<String, String> env = new LinkedHashMap<>(config.functionEnvironment());
        if (function.equals("query")) {
            env.putAll(config.consoleEnvironment());
            // As Terraform does: the API sends its upload-expiry looks to the index stage's queue.
            stage("index").ifPresent(s -> env.put("QUARRY_QUEUE_EXPIRY_QUEUE_URL",
                    config.sqsEndpoint() + "/000000000000/" + s.queueName()));
        }
        env.put("AWS_LAMBDA_RUNTIME_API", api.address());
        env.put("AWS_LAMBDA_FUNCTION_NAME", "quarry-" + deployment);
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(stage(function).map(Pipeline.Stage::memoryMb).orElse(1024)));
        // As Terraform does: a function gives up a record on the last delivery its queue's redrive policy allows.
        stage(function).ifPresent(s -> env.put("QUARRY_QUEUE_MAX_RECEIVE_COUNT", Integer.toString(s.maxReceiveCount())));
        env.put("LAMBDA_TASK_ROOT", target.toString());
        env.put("_HANDLER", "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest");
        env.put("TMPDIR", tmp.toString());
        env.putAll(environment);
        List<String> cmd = List.of(Jdk.java().toString(), "-Xmx" + heapMib(function) + "m", "-Djava.io.tmpdir=" + tmp,
                "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xss512k", "-XX:ReservedCodeCacheSize=64m", "-XX:MaxMetaspaceSize=192m",
                "-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI=" + ricNativeLibrary,
                "-cp", runner + ":" + ric,
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest");
        String name = "function-" + deployment + (instance == 0 ? "" : "-" + instance);
        process[0] = processes.start(name, cmd, env, target);
        ProcessSandbox sandbox = new ProcessSandbox(name, instance >= warm, !deployment.equals(function), api, process[0], processes, sandboxes);
        sandboxes.add(sandbox);
        process[0].onExit().thenAccept(p -> api.runtimeExited(p.exitValue()));
        return sandbox;
    }

    private java.util.Optional<Pipeline.Stage> stage(String function) {
        return pipeline.stages().stream().filter(s -> s.function().equals(function)).findFirst();
    }

    /** The sandbox heap (-Xmx) in MiB: QUARRY_<FUNCTION>_HEAP (e.g. 512m, 1g) or the default. */
    static int heapMib(String function) {
        String configured = System.getenv("QUARRY_" + function.toUpperCase() + "_HEAP");
        if (configured == null || configured.isBlank()) {
            return switch (function) {
                case "extract", "embed", "chunk" -> 384;
                case "query" -> 256;
                default -> 192;
            };
        }
        String v = configured.strip().toLowerCase();
        long n = Long.parseLong(v.replaceAll("[kmg]$", ""));
        return (int) switch (v.charAt(v.length() - 1)) {
            case 'g' -> n * 1024;
            case 'k' -> n / 1024;
            case 'm' -> n;
            default -> n / (1024 * 1024);
        };
    }

    void stopSupervising() {
        stopping = true;
        functions.values().forEach(LambdaFunction::close);
    }

    /**
     * Closes the Runtime APIs; the stack's sandboxes are stopped with its other child processes, and the sandboxes of
     * a {@link #deploy deployment} are stopped here, as deleting that function would.
     */
    @Override
    public void close() {
        stopSupervising();
        sandboxes.stream().filter(ProcessSandbox::deployed).toList().forEach(ProcessSandbox::stop);
        sandboxes.forEach(s -> s.api().close());
    }
}
