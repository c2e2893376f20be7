package dev.quarry.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP API over the local gateway: authentication, tenant isolation on every endpoint, errors, OpenAPI. */
@ExtendWith(StackSession.class)
class QueryApiIT {
    private static StackConfig config;
    private static Api a;
    private static Api b;
    private static String docOfA;

    @BeforeAll
    static void ingestForTenantA() {
        config = StackSession.ensure();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        a = new Api(config, "it-a-" + suffix);
        b = new Api(config, "it-b-" + suffix);
        docOfA = a.upload("refcard.pdf", config.projectRoot().resolve("shared/core/src/test/resources/pdfs/octave-doc__refcard-a4.pdf"));
        assertThat(a.awaitTerminal(List.of(docOfA), Duration.ofMinutes(3)).get(docOfA).path("status").asText()).isEqualTo("READY");
        a.call("POST", "/v1/query", "{\"question\":\"How do I plot a matrix in Octave?\"}");
    }

    @Test
    void requests_without_a_valid_api_key_get_401_json() {
        Api.Response none = Api.raw(config, "POST", "/v1/search", "{\"query\":\"x\"}", Map.of("Content-Type", "application/json"));
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.body().path("message").asText()).contains("API key");
        Api.Response wrong = Api.raw(config, "GET", "/v1/documents", null, Map.of("Authorization", "Bearer not-a-key"));
        assertThat(wrong.status()).isEqualTo(401);
    }

    @Test
    void another_tenant_never_sees_the_documents_hits_statuses_or_history() {
        assertThat(b.call("GET", "/v1/documents/" + docOfA, null).status()).isEqualTo(404);
        assertThat(b.call("DELETE", "/v1/documents/" + docOfA, null).status()).isEqualTo(404);
        assertThat(b.call("GET", "/v1/documents", null).body().path("documents")).isEmpty();
        for (String mode : List.of("hybrid", "bm25", "knn")) {
            Api.Response r = b.call("POST", "/v1/search", "{\"query\":\"plot matrix octave\",\"mode\":\"" + mode + "\",\"topK\":50,"
                    + "\"filters\":{\"documentIds\":[\"" + docOfA + "\"]}}");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body().path("hits")).as("mode %s", mode).isEmpty();
        }
        Api.Response q = b.call("POST", "/v1/query", "{\"question\":\"How do I plot a matrix in Octave?\"}");
        assertThat(q.body().path("found").asBoolean()).isFalse();
        assertThat(q.body().path("citations")).isEmpty();

        // The owner does see them.
        assertThat(a.call("GET", "/v1/documents/" + docOfA, null).status()).isEqualTo(200);
        assertThat(a.call("POST", "/v1/search", "{\"query\":\"plot\",\"mode\":\"bm25\"}").body().path("hits")).isNotEmpty();

        // Each history holds its own tenant's question (the index refreshes once a second) and never the other's.
        JsonNode historyOfA = Await.until("tenant a's question in its history", Duration.ofMinutes(1),
                () -> a.call("GET", "/v1/queries", null).body().path("queries"), h -> !h.isEmpty());
        JsonNode historyOfB = Await.until("tenant b's question in its history", Duration.ofMinutes(1),
                () -> b.call("GET", "/v1/queries", null).body().path("queries"), h -> !h.isEmpty());
        assertThat(historyOfA).allSatisfy(n -> assertThat(n.path("tenant").asText()).isEqualTo(a.tenant));
        assertThat(historyOfB).allSatisfy(n -> assertThat(n.path("tenant").asText()).isEqualTo(b.tenant));
    }

    @Test
    void bad_requests_get_4xx_json_naming_the_field() {
        assertField(a.call("POST", "/v1/query", "{}"), 400, "question");
        assertField(a.call("POST", "/v1/query", "{\"question\":\"   \"}"), 400, "question");
        assertField(a.call("POST", "/v1/query", "{\"question\":\"" + "x".repeat(2001) + "\"}"), 400, "question");
        assertField(a.call("POST", "/v1/search", "{\"query\":\"x\",\"topK\":0}"), 400, "topK");
        assertField(a.call("POST", "/v1/search", "{\"query\":\"x\",\"topK\":51}"), 400, "topK");
        assertField(a.call("POST", "/v1/search", "{\"query\":\"x\",\"mode\":\"fuzzy\"}"), 400, "mode");
        assertField(a.call("POST", "/v1/documents", "{\"name\":\"notes.txt\"}"), 400, "name");
        Api.Response malformed = a.call("POST", "/v1/query", "{\"question\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().path("error").asText()).isEqualTo("malformed_json");
        assertThat(a.call("GET", "/v1/documents/ffffffffffffffffffffffff", null).status()).isEqualTo(404);
        assertThat(a.call("GET", "/v1/documents/not-an-id", null).status()).isEqualTo(404);
    }

    @Test
    void a_question_of_two_thousand_chinese_characters_is_answered_not_refused() {
        StringBuilder cjk = new StringBuilder();
        for (int i = 0; cjk.length() < 2000; i++) {
            cjk.append((char) (0x4e00 + i % 3000)); // one BM25 term each: twice OpenSearch's 1,024-clause limit
        }
        for (String mode : List.of("bm25", "hybrid")) {
            Api.Response search = a.call("POST", "/v1/search", "{\"query\":\"" + cjk + "\",\"mode\":\"" + mode + "\"}");
            assertThat(search.status()).as("mode %s: %s", mode, search.body()).isEqualTo(200);
        }
        Api.Response query = a.call("POST", "/v1/query", "{\"question\":\"" + cjk + "\"}");
        assertThat(query.status()).as("%s", query.body()).isEqualTo(200);
    }

    @Test
    void health_and_openapi_are_public() {
        Api.Response health = Api.raw(config, "GET", "/v1/health", null, Map.of());
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().path("status").asText()).isEqualTo("ok");
        Api.Response openapi = Api.raw(config, "GET", "/q/openapi?format=json", null, Map.of("Accept", "application/json"));
        assertThat(openapi.status()).isEqualTo(200);
        JsonNode paths = openapi.body().path("paths");
        assertThat(paths.has("/v1/query")).isTrue();
        assertThat(paths.has("/v1/documents/{documentId}")).isTrue();
    }

    private static void assertField(Api.Response r, int status, String field) {
        assertThat(r.status()).as("%s", r.body()).isEqualTo(status);
        assertThat(r.body().path("field").asText()).isEqualTo(field);
        assertThat(r.body().path("message").asText()).contains(field);
    }

}
