package dev.quarry.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The local stack's process: starts the emulators and wires them together as the Terraform wires
 * the AWS services (S3 notifies queues, event source mappings feed functions, the HTTP API invokes
 * query), writes .quarry/stack.json when all are healthy, and stops everything on SIGTERM.
 * {@code scripts/quarry up} starts it in the background ({@link LocalStack}).
 */
final class StackDaemon {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StackConfig config;
    private final Pipeline pipeline;
    private final ChildProcesses processes;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<SqsEventSource> eventSources = new ArrayList<>();
    private final Map<String, Object> report = new LinkedHashMap<>();
    private volatile LambdaService lambda;
    private volatile boolean stopping;

    StackDaemon(StackConfig config) {
        this.config = config;
        this.pipeline = Pipeline.load(config.projectRoot());
        this.processes = new ChildProcesses(config);
    }

    public static void main(String[] args) throws Exception {
        new StackDaemon(StackConfig.load(StackConfig.findProjectRoot())).run();
    }

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
        SqsQueues sqs = new SqsQueues(config, pipeline);
        closeables.add(sqs);
        report.put("sqsHealthyMillis", millisSince(sqsStart));

        closeables.add(new S3NotifyingProxy(config.s3Port(), "http://127.0.0.1:" + config.s3MockPort(), config.region(),
                BucketNotifications.of(pipeline), sqs::send));

        report.put("s3HealthyMillis", s3Up.get());
        allowConsoleOrigin();
        report.put("openSearchHealthyMillis", openSearchUp.get());
        startAgainWhenExited(servers, openSearch);
        // No index is created here: as in AWS, each function creates the indices it uses (OpenSearchIndices).

        // Before any sandbox starts: the functions' EMF lines from here on are this stack's metrics.
        closeables.add(new LocalMetrics(config.logs(), config.metricsPort()));
        lambda = new LambdaService(config, pipeline, processes);
        closeables.add(lambda);
        lambda.start();
        for (Pipeline.Stage stage : pipeline.stages()) {
            SqsEventSource source = new SqsEventSource(stage, sqs.client(), sqs.url(stage.queue()), config.region(),
                    lambda.function(stage.function()), config.localVisibilityTimeoutSeconds(), sqs.endpoint());
            eventSources.add(source);
            Thread t = new Thread(source, "event-source-" + stage.queue());
            t.setDaemon(true);
            t.start();
        }
        CognitoUserPool userPool = new CognitoUserPool(config.cognitoPort(), config.userPool(), java.time.Clock.systemUTC());
        closeables.add(userPool);
        // As Terraform configures the API's authorizer: the pool as issuer, its app clients as audiences.
        JwtAuthorizer authorizer = new JwtAuthorizer(config.jwtIssuer(),
                config.userPool().read().clients().stream().map(LocalUserPool.Client::clientId).toList(), java.time.Clock.systemUTC());
        LambdaFunction query = lambda.function("query");
        closeables.add(new HttpApiGateway(config.apiPort(), query::invoke, config::apiKeys, HttpApiGateway.TENANT_CLAIM, authorizer));
        warmQuery(lambda.function("query"));
        report.put("allHealthyMillis", millisSince(t0));
        writeStackJson();
        System.out.println("Local stack ready in " + millisSince(t0) + " ms: " + report);
    }

    /**
     * What Amazon OpenSearch Service does for a data node that failed: it starts one again on the same storage.
     * Until it is healthy the functions see connection failures (transient: retried, then left to their queues).
     */
    private void startAgainWhenExited(Servers servers, Process openSearch) {
        openSearch.onExit().thenRunAsync(() -> {
            if (stopping) {
                return;
            }
            System.err.println("OpenSearch exited (code " + openSearch.exitValue() + "); starting it again on the same data");
            Servers.sleep(1000);
            if (stopping) {
                return;
            }
            try {
                Process next = servers.startOpenSearch();
                startAgainWhenExited(servers, next);
                long t = System.nanoTime();
                Servers.waitFor("OpenSearch", Duration.ofMinutes(4), next, config.logs().resolve("opensearch.log"), servers::openSearchHealthy);
                System.err.println("OpenSearch is healthy again after " + millisSince(t) + " ms");
            } catch (IOException | RuntimeException e) {
                System.err.println("OpenSearch could not be started again: " + e.getMessage());
            }
        });
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

    /** The first request pays the query function's JVM cold start: pay it before reporting ready. */
    private void warmQuery(LambdaFunction query) {
        long t = System.nanoTime();
        awaitHealthy(query);
        report.put("queryColdStartMillis", millisSince(t));
    }

    /** Asks a query function (the stack's, or another deployment of it) for its health, through its cold start. */
    static void awaitHealthy(LambdaFunction query) {
        String health = query.invoke("""
                {"version":"2.0","routeKey":"$default","rawPath":"/v1/health","rawQueryString":"","headers":{"accept":"application/json"},
                 "requestContext":{"http":{"method":"GET","path":"/v1/health","protocol":"HTTP/1.1","sourceIp":"127.0.0.1"},"requestId":"warmup","stage":"$default"},
                 "isBase64Encoded":false}""", Duration.ofSeconds(120));
        if (!health.contains("\"statusCode\":200")) {
            throw new IllegalStateException("The query function is not healthy: " + health);
        }
    }

    private void writeStackJson() throws IOException {
        ObjectNode info = JSON.createObjectNode();
        info.put("ready", true);
        info.put("pid", ProcessHandle.current().pid());
        info.put("api", config.apiUrl());
        info.put("apiKey", config.apiKeys().entrySet().stream().filter(e -> e.getValue().equals("demo"))
                .map(Map.Entry::getKey).findFirst().orElse(""));
        LocalUserPool.State pool = config.userPool().read();
        info.put("cognito", config.cognitoEndpoint());
        info.put("userPoolId", pool.userPoolId());
        info.put("clientId", pool.consoleClientId());
        info.put("s3", config.s3Endpoint());
        info.put("bucket", config.bucket());
        info.put("sqs", config.sqsEndpoint());
        info.put("opensearch", config.openSearchEndpoint());
        info.put("metrics", config.metricsUrl());
        info.set("startup", JSON.valueToTree(report));
        Path tmp = config.stateDir().resolve("stack.json.tmp");
        Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(info));
        Files.move(tmp, config.stateDir().resolve("stack.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private synchronized void stop() {
        stopping = true;
        eventSources.forEach(SqsEventSource::stop);
        eventSources.clear();
        if (lambda != null) {
            lambda.stopSupervising(); // a sandbox stopped now is not one to replace
        }
        processes.stopAll();
        List<AutoCloseable> copy = new ArrayList<>(closeables);
        Collections.reverse(copy);
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
