package dev.quarry.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where the local stack lives and which ports it uses. Every value can be changed with an
 * environment variable (QUARRY_API_PORT=9080) or a system property (quarry.api-port=9080).
 */
public record StackConfig(
        Path projectRoot,
        Path stateDir,
        int apiPort,
        int s3Port,
        int s3MockPort,
        int sqsPort,
        int elasticMqPort,
        int openSearchPort,
        int openSearchTransportPort,
        int cognitoPort,
        String bucket,
        String region,
        int localVisibilityTimeoutSeconds,
        String openSearchHeap,
        int queryInstances,
        int metricsPort) {

    public static StackConfig load(Path projectRoot) {
        Path state = Path.of(value("state-dir", projectRoot.resolve(".quarry").toString())).toAbsolutePath();
        return new StackConfig(
                projectRoot.toAbsolutePath().normalize(),
                state,
                intValue("api-port", 8080),
                intValue("s3-port", 9000),
                intValue("s3mock-port", 9091),
                intValue("sqs-port", 9324),
                intValue("elasticmq-port", 9325),
                intValue("opensearch-port", 9200),
                intValue("opensearch-transport-port", 9300),
                intValue("cognito-port", 9229),
                value("bucket", "quarry-local"),
                value("region", "us-east-1"),
                intValue("visibility-timeout", 20),
                value("opensearch-heap", "512m"),
                intValue("query-instances", 2),
                intValue("metrics-port", 9464));
    }

    /** Locates the repository root: the closest ancestor holding infra/pipeline.json. */
    public static Path findProjectRoot() {
        String configured = System.getProperty("quarry.project.root", System.getenv("QUARRY_PROJECT_ROOT"));
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("infra/pipeline.json"))) {
                return p;
            }
        }
        throw new IllegalStateException("Cannot find the Quarry checkout (no infra/pipeline.json above " + start
                + "); run from inside the repository or set QUARRY_PROJECT_ROOT.");
    }

    public String s3Endpoint() {
        return "http://127.0.0.1:" + s3Port;
    }

    public String sqsEndpoint() {
        return "http://127.0.0.1:" + sqsPort;
    }

    public String openSearchEndpoint() {
        return "http://127.0.0.1:" + openSearchPort;
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + apiPort;
    }

    /** The functions' metrics (from their EMF lines) in Prometheus text format. */
    public String metricsUrl() {
        return "http://127.0.0.1:" + metricsPort + "/metrics";
    }

    /** The local Cognito user pool's endpoint, where https://cognito-idp.<region>.amazonaws.com/ is in AWS. */
    public String cognitoEndpoint() {
        return "http://127.0.0.1:" + cognitoPort + "/";
    }

    /** The local user pool's users, app client and key: .quarry/cognito-user-pool.json. */
    LocalUserPool userPool() {
        return new LocalUserPool(stateDir.resolve("cognito-user-pool.json"), region);
    }

    /** The issuer the gateway's JWT authorizer trusts, as Terraform's jwt_issuer names the user pool. */
    String jwtIssuer() {
        return "http://127.0.0.1:" + cognitoPort + "/" + userPool().read().userPoolId();
    }

    /**
     * What Terraform gives the query function for the console, plus the local endpoint of the user pool and
     * the API-key sign-in that only the local gateway accepts.
     */
    Map<String, String> consoleEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARRY_CONSOLE_COGNITO_CLIENT_ID", userPool().read().consoleClientId());
        env.put("QUARRY_CONSOLE_COGNITO_ENDPOINT", cognitoEndpoint());
        env.put("QUARRY_CONSOLE_API_KEY_SIGN_IN", "true");
        return env;
    }

    public Path logs() {
        return stateDir.resolve("logs");
    }

    public Path pids() {
        return stateDir.resolve("pids");
    }

    public Path dist() {
        return projectRoot.resolve("infra/local-stack/target/dist");
    }

    /** The environment every local function process gets: the same keys Terraform sets in AWS. */
    public Map<String, String> functionEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARRY_BUCKET", bucket);
        env.put("QUARRY_OPENSEARCH_ENDPOINT", openSearchEndpoint());
        env.put("QUARRY_OPENSEARCH_SIGV4", "false");
        env.put("QUARKUS_S3_ENDPOINT_OVERRIDE", s3Endpoint());
        env.put("QUARKUS_S3_PATH_STYLE_ACCESS", "true");
        env.put("QUARKUS_S3_AWS_REGION", region);
        env.put("QUARKUS_S3_AWS_CREDENTIALS_TYPE", "static");
        env.put("QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_ACCESS_KEY_ID", "local");
        env.put("QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_SECRET_ACCESS_KEY", "local");
        // The stages delay a failed message's next delivery on their queue (ChangeMessageVisibility); in AWS the SDK's
        // endpoint for the region. Locally the backoff between deliveries is scaled down as the visibility timeout is.
        env.put("QUARRY_QUEUE_ENDPOINT", sqsEndpoint());
        env.put("QUARRY_QUEUE_REDELIVERY_BASE_DELAY", "2s");
        env.put("QUARRY_QUEUE_REDELIVERY_MAX_DELAY", localVisibilityTimeoutSeconds + "s");
        env.put("AWS_REGION", region);
        env.put("AWS_DEFAULT_REGION", region);
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        return env;
    }

    /** API keys for the local gateway: key -> tenant, from .quarry/api-keys.properties. */
    public Map<String, String> apiKeys() {
        Path file = stateDir.resolve("api-keys.properties");
        Map<String, String> keys = new LinkedHashMap<>();
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(stateDir);
                Files.writeString(file, """
                        # Local API keys: <key>=<tenant>. Send one as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.
                        local-demo-key=demo
                        local-other-key=other
                        """);
            }
            Properties props = new Properties();
            try (var in = Files.newInputStream(file)) {
                props.load(in);
            }
            props.forEach((k, v) -> keys.put(k.toString().trim(), v.toString().trim()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot read API keys from " + file + ": " + e.getMessage(), e);
        }
        return keys;
    }

    /** The API key of a tenant, adding one to .quarry/api-keys.properties if the tenant has none yet. */
    public String apiKeyFor(String tenant) {
        return apiKeys().entrySet().stream().filter(e -> e.getValue().equals(tenant)).map(Map.Entry::getKey).findFirst()
                .orElseGet(() -> {
                    String key = "local-" + tenant + "-" + Long.toHexString(new java.security.SecureRandom().nextLong() & Long.MAX_VALUE);
                    try {
                        Files.writeString(stateDir.resolve("api-keys.properties"), key + "=" + tenant + "\n",
                                java.nio.file.StandardOpenOption.APPEND);
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException("Cannot add an API key for tenant " + tenant, e);
                    }
                    return key;
                });
    }

    private static String value(String name, String fallback) {
        String env = System.getenv("QUARRY_" + name.toUpperCase().replace('-', '_'));
        return System.getProperty("quarry." + name, env != null ? env : fallback);
    }

    private static int intValue(String name, int fallback) {
        return Integer.parseInt(value(name, Integer.toString(fallback)));
    }
}
