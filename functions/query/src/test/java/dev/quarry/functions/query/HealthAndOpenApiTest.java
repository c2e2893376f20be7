package dev.quarry.functions.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class HealthAndOpenApiTest {

    @Test
    void health_answers_without_authentication_with_the_models_and_the_search_backend_state() {
        LambdaEvent.Reply reply = LambdaEvent.from("health-anonymous.json").send();

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.path("status").asText()).isEqualTo("ok");
        assertThat(body.path("opensearch").asText()).isEqualTo("green");
        assertThat(body.path("embeddingModel").asText()).isEqualTo("bge-small-en-v1.5-q");
        assertThat(body.path("answerProvider").asText()).isEqualTo("extractive");
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
