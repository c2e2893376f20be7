package dev.quarry.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The functions own their indices, as they must in AWS: the local OpenSearch keeps the service's
 * default (a missing index is auto-created on first write, with dynamic mappings), the local stack
 * creates no index, and the indices the API uses carry the explicit mappings of infra/opensearch/
 * (tenant a keyword). Two tenants whose names share a prefix, {@code acme} and {@code acme-corp}, never
 * see each other's documents, hits or history, and a deleted document leaves its tenant's listing.
 */
@ExtendWith(StackSession.class)
class IndexOwnershipIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static StackConfig config;
    private static Api acme;
    private static Api acmeCorp;
    private static String docOfAcme;
    private static String docOfAcmeCorp;

    @BeforeAll
    static void twoTenantsWithACommonPrefix() {
        config = StackSession.ensure();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        acme = new Api(config, "acme" + suffix);
        acmeCorp = new Api(config, "acme" + suffix + "-corp");
        var pdf = config.projectRoot().resolve("shared/core/src/test/resources/pdfs/octave-doc__refcard-a4.pdf");
        docOfAcme = acme.upload("refcard.pdf", pdf);
        docOfAcmeCorp = acmeCorp.upload("refcard.pdf", pdf);
        assertThat(acme.awaitTerminal(List.of(docOfAcme), Duration.ofMinutes(3)).get(docOfAcme).path("status").asText())
                .isEqualTo("READY");
        assertThat(acmeCorp.awaitTerminal(List.of(docOfAcmeCorp), Duration.ofMinutes(3)).get(docOfAcmeCorp).path("status")
                .asText()).isEqualTo("READY");
        acmeCorp.call("POST", "/v1/query", "{\"question\":\"How do I plot a matrix in Octave?\"}");
    }

    private static JsonNode openSearch(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(config.openSearchEndpoint() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void the_local_opensearch_auto_creates_indices_as_the_service_does_and_the_functions_made_theirs_explicitly()
            throws Exception {
        JsonNode settings = openSearch("/_cluster/settings?include_defaults=true&flat_settings=true");
        String autoCreate = settings.path("persistent").path("action.auto_create_index").asText(
                settings.path("defaults").path("action.auto_create_index").asText("true"));
        assertThat(autoCreate).as("action.auto_create_index").isEqualTo("true");
        for (String index : List.of("quarry-documents", "quarry-chunks", "quarry-queries")) {
            JsonNode mappings = openSearch("/" + index + "/_mapping").path(index).path("mappings");
            assertThat(mappings.path("dynamic").asText()).as("%s made from its definition", index).isEqualTo("strict");
            assertThat(mappings.path("properties").path("tenant").path("type").asText()).as("%s tenant", index)
                    .isEqualTo("keyword");
        }
        // The chunk index's analyzer as its definition says: English stop words ("_english_", sent by the typed client
        // as a one-element list), possessives and Porter stemming.
        HttpResponse<String> analyzed = HTTP.send(HttpRequest.newBuilder(URI.create(config.openSearchEndpoint() + "/quarry-chunks/_analyze"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"analyzer\":\"quarry_english\",\"text\":\"The pump's valves are in the manual\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(analyzed.statusCode()).as(analyzed.body()).isEqualTo(200);
        assertThat(JSON.readTree(analyzed.body()).path("tokens")).extracting(t -> t.path("token").asText())
                .containsExactly("pump", "valv", "manual");
    }

    @Test
    void a_tenant_never_sees_the_documents_hits_or_history_of_a_tenant_whose_name_extends_its_own() {
        assertThat(acme.call("GET", "/v1/documents", null).body().path("documents"))
                .extracting(d -> d.path("documentId").asText()).containsExactly(docOfAcme);
        assertThat(acme.call("GET", "/v1/documents/" + docOfAcmeCorp, null).status()).isEqualTo(404);
        for (String mode : List.of("hybrid", "bm25", "knn")) {
            JsonNode hits = acme.call("POST", "/v1/search", "{\"query\":\"plot matrix\",\"mode\":\"" + mode + "\",\"topK\":50}")
                    .body().path("hits");
            assertThat(hits).as(mode).isNotEmpty().allSatisfy(h -> assertThat(h.path("documentId").asText()).isEqualTo(docOfAcme));
        }
        assertThat(acme.call("GET", "/v1/queries", null).body().path("queries")).isEmpty();
    }

    @Test
    void a_deleted_document_leaves_its_tenants_listing_and_search_only() {
        Api other = new Api(config, acme.tenant + "x");
        String doc = other.upload("refcard.pdf", config.projectRoot().resolve("shared/core/src/test/resources/pdfs/octave-doc__refcard-a4.pdf"));
        assertThat(other.awaitTerminal(List.of(doc), Duration.ofMinutes(3)).get(doc).path("status").asText()).isEqualTo("READY");

        assertThat(other.call("DELETE", "/v1/documents/" + doc, null).status()).isLessThan(300);

        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!other.call("GET", "/v1/documents", null).body().path("documents").isEmpty() && System.nanoTime() < deadline) {
            Servers.sleep(500);
        }
        assertThat(other.call("GET", "/v1/documents", null).body().path("documents")).isEmpty();
        assertThat(other.call("POST", "/v1/search", "{\"query\":\"plot matrix\",\"mode\":\"bm25\"}").body().path("hits")).isEmpty();
        assertThat(acme.call("GET", "/v1/documents", null).body().path("documents")).hasSize(1);
    }
}
