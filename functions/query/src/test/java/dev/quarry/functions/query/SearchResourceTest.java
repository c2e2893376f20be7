package dev.quarry.functions.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.core.port.ChunkIndex;
import dev.quarry.core.port.Embedder;
import dev.quarry.testsupport.InMemoryChunkIndex;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.quarry.functions.query.Corpus.TENANT_A;
import static dev.quarry.functions.query.Corpus.TENANT_B;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class SearchResourceTest {

    @Inject
    InMemoryChunkIndex index;
    @Inject
    Embedder embedder;

    @BeforeEach
    void seed() {
        index.clear();
        Corpus.seed(index, embedder);
    }

    @Test
    void returns_only_the_callers_tenants_hits_though_another_tenant_has_matching_chunks() {
        LambdaEvent.Reply reply = LambdaEvent.from("search-tenant-a.json").send();

        assertThat(reply.status()).isEqualTo(200);
        JsonNode hits = reply.json().path("hits");
        assertThat(hits).isNotEmpty();
        assertThat(hits).allSatisfy(h -> assertThat(h.path("documentId").asText()).isIn(Corpus.WARRANTY_A, Corpus.RETURNS_A));
        assertThat(hits.get(0).path("text").asText()).contains(Corpus.PARTS_A);
        assertThat(reply.body()).doesNotContain(Corpus.PARTS_B);
        assertThat(index.queries()).extracting(ChunkIndex.Query::tenant).containsOnly(TENANT_A);
    }

    @Test
    void the_same_request_from_another_tenant_sees_only_that_tenants_hits() {
        LambdaEvent.Reply reply = LambdaEvent.from("search-tenant-a.json").tenant(TENANT_B).send();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("hits")).isNotEmpty()
                .allSatisfy(h -> assertThat(h.path("documentId").asText()).isEqualTo(Corpus.WARRANTY_B));
    }

    @Test
    void answers_401_json_when_the_authorizer_put_no_tenant_claim_in_the_event() {
        LambdaEvent.Reply reply = LambdaEvent.from("search-without-tenant-claim.json").send();

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(reply.json().path("error").asText()).isEqualTo("unauthorized");
        assertThat(reply.json().path("message").asText()).contains("custom:tenant");
        assertThat(index.queries()).isEmpty();
    }

    @Test
    void filters_on_the_callers_documents_and_cannot_reach_another_tenants_document_by_id() {
        LambdaEvent.Reply reply = LambdaEvent.from("search-tenant-a.json")
                .body("{\"query\":\"warranty parts\",\"filters\":{\"documentIds\":[\"" + Corpus.WARRANTY_B + "\"]}}").send();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("hits")).isEmpty();
    }

    @Test
    void searches_bm25_and_knn_alone_when_asked() {
        LambdaEvent.Reply bm25 = LambdaEvent.from("search-tenant-a.json").body("{\"query\":\"refund\",\"mode\":\"bm25\"}").send();
        LambdaEvent.Reply knn = LambdaEvent.from("search-tenant-a.json").body("{\"query\":\"refund\",\"mode\":\"KNN\"}").send();

        assertThat(bm25.json().path("mode").asText()).isEqualTo("bm25");
        assertThat(bm25.json().path("hits")).singleElement()
                .satisfies(h -> assertThat(h.path("documentId").asText()).isEqualTo(Corpus.RETURNS_A));
        assertThat(knn.json().path("mode").asText()).isEqualTo("knn");
        assertThat(knn.json().path("hits").get(0).path("documentId").asText()).isEqualTo(Corpus.RETURNS_A);
    }

    @Test
    void rejects_a_missing_or_empty_query_naming_the_field() {
        QueryResourceTest.assertBadRequest(LambdaEvent.from("search-tenant-a.json").body("{\"topK\":3}").send(), "query");
        QueryResourceTest.assertBadRequest(LambdaEvent.from("search-tenant-a.json").body("{\"query\":\"\"}").send(), "query");
        QueryResourceTest.assertBadRequest(LambdaEvent.from("search-tenant-a.json").body("").send(), "query");
    }

    @Test
    void rejects_a_query_over_2000_characters_naming_the_field() {
        QueryResourceTest.assertBadRequest(LambdaEvent.from("search-tenant-a.json")
                .body("{\"query\":\"" + "q".repeat(2001) + "\"}").send(), "query");
    }

    @Test
    void rejects_top_k_0_and_51_naming_the_field() {
        QueryResourceTest.assertBadRequest(LambdaEvent.from("search-tenant-a.json").body("{\"query\":\"warranty\",\"topK\":0}").send(), "topK");
        QueryResourceTest.assertBadRequest(LambdaEvent.from("search-tenant-a.json").body("{\"query\":\"warranty\",\"topK\":51}").send(), "topK");
        assertThat(LambdaEvent.from("search-tenant-a.json").body("{\"query\":\"warranty\",\"topK\":50}").send().status()).isEqualTo(200);
    }

    @Test
    void rejects_an_unknown_mode_naming_the_field() {
        LambdaEvent.Reply reply = LambdaEvent.from("search-tenant-a.json").body("{\"query\":\"warranty\",\"mode\":\"semantic\"}").send();

        QueryResourceTest.assertBadRequest(reply, "mode");
        assertThat(reply.json().path("message").asText()).contains("hybrid", "bm25", "knn");
    }

    @Test
    void rejects_a_document_filter_with_a_bad_id_naming_the_field() {
        QueryResourceTest.assertBadRequest(LambdaEvent.from("search-tenant-a.json")
                .body("{\"query\":\"warranty\",\"filters\":{\"documentIds\":[\"ABC\"]}}").send(), "filters.documentIds");
        QueryResourceTest.assertBadRequest(LambdaEvent.from("search-tenant-a.json")
                .body("{\"query\":\"warranty\",\"filters\":{\"documentIds\":[null]}}").send(), "filters.documentIds");
    }

    @Test
    void rejects_malformed_json_with_400_json() {
        LambdaEvent.Reply reply = LambdaEvent.from("search-tenant-a.json").body("{query: warranty}").send();

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(reply.json().path("error").asText()).isEqualTo("malformed_json");
    }

    @Test
    void rejects_a_field_of_the_wrong_type_naming_it() {
        LambdaEvent.Reply reply = LambdaEvent.from("search-tenant-a.json").body("{\"query\":\"warranty\",\"topK\":\"ten\"}").send();

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(reply.json().path("error").asText()).isEqualTo("malformed_json");
        assertThat(reply.json().path("field").asText()).isEqualTo("topK");
        assertThat(reply.json().path("message").asText()).isEqualTo("Field 'topK' must be a whole number.");
    }

    @Test
    void rejects_json_that_is_not_an_object_with_400_json() {
        for (String body : new String[]{"[]", "\"warranty\"", "42", "true"}) {
            LambdaEvent.Reply reply = LambdaEvent.from("search-tenant-a.json").body(body).send();

            assertThat(reply.status()).as(body).isEqualTo(400);
            assertThat(reply.json().path("error").asText()).isEqualTo("malformed_json");
            assertThat(reply.json().path("message").asText()).contains("JSON object");
        }
    }

    @Test
    void names_the_element_of_a_list_that_has_the_wrong_type() {
        LambdaEvent.Reply reply = LambdaEvent.from("search-tenant-a.json")
                .body("{\"query\":\"warranty\",\"filters\":{\"documentIds\":[{}]}}").send();

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("field").asText()).isEqualTo("filters.documentIds[0]");
    }
}
