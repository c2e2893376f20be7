package dev.quarry.functions.query.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The answer API key read at run time through the real AWS SDK Secrets Manager client, against a local
 * endpoint that speaks the service's JSON protocol (POST /, X-Amz-Target: secretsmanager.GetSecretValue).
 */
class AnswerApiKeySecretTest {
    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:quarry-answer-key-AbCdEf";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile String secretString = "sk-from-secrets-manager";

    record Request(String method, String path, String target, String authorization, JsonNode body) {}

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        System.clearProperty("aws.endpointUrlSecretsManager");
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    private void handle(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("X-Amz-Target"), exchange.getRequestHeaders().getFirst("Authorization"), body));
        int status;
        String response;
        if (!ARN.equals(body.path("SecretId").asText())) {
            status = 400;
            response = "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Secrets Manager can't find the specified secret.\"}";
        } else {
            status = 200;
            var answer = JSON.createObjectNode().put("ARN", ARN).put("Name", "quarry-answer-key").put("VersionId", "v1");
            if (secretString != null) {
                answer.put("SecretString", secretString);
            }
            answer.putArray("VersionStages").add("AWSCURRENT");
            response = answer.toString();
        }
        byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private SecretsManagerClient client() {
        return SecretsManagerClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret-test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @Test
    void reads_the_key_once_with_a_signed_get_secret_value_call() {
        AnswerApiKeySecret secret = new AnswerApiKeySecret(ARN, this::client);

        assertThat(requests).isEmpty();
        assertThat(secret.get()).isEqualTo("sk-from-secrets-manager");
        assertThat(secret.get()).isEqualTo("sk-from-secrets-manager");

        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/");
            assertThat(request.target()).isEqualTo("secretsmanager.GetSecretValue");
            assertThat(request.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/")
                    .contains("/eu-west-1/secretsmanager/aws4_request");
            assertThat(request.body().path("SecretId").asText()).isEqualTo(ARN);
        });
    }

    @Test
    void a_missing_secret_fails_naming_the_setting_and_what_to_check() {
        AnswerApiKeySecret secret = new AnswerApiKeySecret(ARN + "-other", this::client);

        assertThatThrownBy(secret::get).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(ARN + "-other").hasMessageContaining("quarry.answer.api-key-secret-arn")
                .hasMessageContaining("secretsmanager:GetSecretValue");
    }

    @Test
    void a_secret_without_text_fails() {
        secretString = null;

        assertThatThrownBy(new AnswerApiKeySecret(ARN, this::client)::get).hasMessageContaining("has no SecretString");
    }

    /** The configuration as the query function reads it: the ARN from the environment, the key from the secret. */
    @Test
    void the_configuration_takes_the_api_key_from_the_secret_named_by_its_arn() {
        pointTheDefaultClientHere();
        SmallRyeConfig config = config(Map.of("quarry.answer.api-key-secret-arn", ARN, "quarry.region", "eu-west-1"));

        assertThat(requests).as("nothing read before the key is asked for").isEmpty();
        assertThat(config.getOptionalValue("quarry.answer.api-key", String.class)).contains("sk-from-secrets-manager");
        assertThat(config.getOptionalValue("quarry.answer.api-key", String.class)).contains("sk-from-secrets-manager");
        assertThat(requests).hasSize(1);
    }

    @Test
    void a_key_set_directly_wins_and_no_secret_is_read() {
        pointTheDefaultClientHere();
        SmallRyeConfig config = config(Map.of("quarry.answer.api-key-secret-arn", ARN, "quarry.region", "eu-west-1",
                "quarry.answer.api-key", "sk-local"));

        assertThat(config.getOptionalValue("quarry.answer.api-key", String.class)).contains("sk-local");
        assertThat(requests).isEmpty();
    }

    @Test
    void without_an_arn_there_is_no_key_and_no_call() {
        pointTheDefaultClientHere();
        SmallRyeConfig config = config(Map.of("quarry.region", "eu-west-1"));

        assertThat(config.getOptionalValue("quarry.answer.api-key", String.class)).isEmpty();
        assertThat(requests).isEmpty();
    }

    /** The factory builds its client from the default chains: the endpoint and credentials come from system properties. */
    private void pointTheDefaultClientHere() {
        System.setProperty("aws.endpointUrlSecretsManager", "http://127.0.0.1:" + server.getAddress().getPort());
        System.setProperty("aws.accessKeyId", "AKIDTEST");
        System.setProperty("aws.secretAccessKey", "secret-test");
    }

    /** Environment variables rank 300 in Quarkus; the test's properties stand in for them. */
    private static SmallRyeConfig config(Map<String, String> environment) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(environment, "environment", 300))
                .withSources(new AnswerApiKeyConfigSourceFactory())
                .build();
    }
}
