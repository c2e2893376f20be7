package dev.quarry.functions.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.testsupport.FakeSearchBackendHealth;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class HealthAndOpenApiTest {

    @Inject
    FakeSearchBackendHealth backend;

    @AfterEach
    void healthy() {
        backend.reset();
    }

    @Test
    void health_answers_without_authentication_with_the_models_and_the_search_backends_own_state() {
        backend.status("yellow");

        LambdaEvent.Reply reply = LambdaEvent.from("health-anonymous.json").send();

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.path("status").asText()).isEqualTo("ok");
        assertThat(body.path("opensearch").asText()).isEqualTo("yellow");
        assertThat(body.path("embeddingModel").asText()).isEqualTo("bge-small-en-v1.5-q");
        assertThat(body.path("answerProvider").asText()).isEqualTo("extractive");
    }

    @Test
    void health_is_a_degraded_503_when_the_search_backend_does_not_answer() {
        backend.unreachable();

        LambdaEvent.Reply reply = LambdaEvent.from("health-anonymous.json").send();

        assertThat(reply.status()).as(reply.body()).isEqualTo(503);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(reply.json().path("status").asText()).isEqualTo("degraded");
        assertThat(reply.json().path("opensearch").asText()).isEqualTo("unreachable");
        assertThat(reply.body()).as("no exception text, host or address of the backend").doesNotContain("127.0.0.1", "Exception");
    }

    @Test
    void the_openapi_document_lists_the_api_routes_without_authentication() {
        LambdaEvent.Reply reply = LambdaEvent.from("openapi-anonymous.json").send();

        assertThat(reply.status()).isEqualTo(200);
        JsonNode paths = reply.json().path("paths");
        assertThat(paths.has("/v1/query")).as(paths.toString()).isTrue();
        assertThat(paths.path("/v1/query").has("post")).isTrue();
        assertThat(paths.has("/v1/search")).isTrue();
        assertThat(paths.has("/v1/documents")).isTrue();
        assertThat(paths.has("/v1/documents/{documentId}")).isTrue();
        assertThat(paths.has("/v1/health")).isTrue();
        assertThat(paths.path("/v1/documents").path("get").path("parameters"))
                .anySatisfy(p -> {
                    assertThat(p.path("name").asText()).isEqualTo("limit");
                    assertThat(p.path("schema").path("type").asText()).isEqualTo("integer");
                });
    }

    @Test
    void an_unknown_route_answers_404_json() {
        LambdaEvent.Reply reply = LambdaEvent.from("health-anonymous.json").request("GET", "/v2/health").send();

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().path("error").asText()).isEqualTo("not_found");
    }
}
