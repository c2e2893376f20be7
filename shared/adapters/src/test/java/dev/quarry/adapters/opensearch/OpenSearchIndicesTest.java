package dev.quarry.adapters.opensearch;

import static dev.quarry.adapters.opensearch.ScriptedOpenSearch.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Indices are created through the typed client from their definition files, whole, and a concurrent creation is no error. */
class OpenSearchIndicesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ScriptedOpenSearch.Answer CREATED =
            new ScriptedOpenSearch.Answer(200, "{\"acknowledged\":true,\"shards_acknowledged\":true,\"index\":\"i\"}");

    @Test
    void creates_a_missing_index_with_every_setting_and_mapping_of_its_definition() throws Exception {
        for (String name : List.of(OpenSearchIndices.DOCUMENTS, OpenSearchIndices.QUERIES, OpenSearchIndices.CHUNKS)) {
            try (ScriptedOpenSearch os = new ScriptedOpenSearch(r -> r.method().equals("HEAD") ? new ScriptedOpenSearch.Answer(404, "")
                    : CREATED)) {
                OpenSearchIndices indices = new OpenSearchIndices(os.client(), "c", "d", "q", 1);
                switch (name) {
                    case OpenSearchIndices.DOCUMENTS -> indices.ensureStatusIndex();
                    case OpenSearchIndices.QUERIES -> indices.ensureQueriesIndex();
                    default -> indices.ensureChunkIndex("model-x", 8);
                }

                ScriptedOpenSearch.Request put = os.requests.stream().filter(r -> r.method().equals("PUT")).findFirst().orElseThrow();
                ObjectNode expected = OpenSearchIndices.definition(name);
                ((ObjectNode) expected.path("settings").path("index")).put("number_of_replicas", 1);
                if (name.equals(OpenSearchIndices.CHUNKS)) {
                    ((ObjectNode) expected.at("/mappings/_meta")).put("embedding_model", "model-x").put("dimension", 8);
                    ((ObjectNode) expected.at("/mappings/properties/embedding")).put("dimension", 8);
                    // The typed stop filter takes a list: ["_english_"] names the same predefined list (IndexOwnershipIT
                    // checks on the real OpenSearch that "the" is still a stop word).
                    ((ObjectNode) expected.at("/settings/analysis/filter/quarry_english_stop")).putArray("stopwords").add("_english_");
                }
                if (name.equals(OpenSearchIndices.QUERIES)) {
                    // An object field with properties is an object; the typed mapping says so explicitly.
                    ((ObjectNode) expected.at("/mappings/properties/cost")).put("type", "object");
                }
                assertThat(put.uri()).isEqualTo("/" + Map.of(OpenSearchIndices.DOCUMENTS, "d", OpenSearchIndices.QUERIES, "q",
                        OpenSearchIndices.CHUNKS, "c").get(name));
                assertThat(JSON.readTree(put.body())).as(name).isEqualTo(expected);
            }
        }
    }

    @Test
    void an_index_created_concurrently_by_another_function_is_no_error() throws Exception {
        try (ScriptedOpenSearch os = new ScriptedOpenSearch(r -> switch (r.method()) {
            case "HEAD" -> new ScriptedOpenSearch.Answer(404, "");
            case "PUT" -> error(400, "resource_already_exists_exception", "index [d/abc] already exists");
            default -> new ScriptedOpenSearch.Answer(200, "{\"d\":{\"mappings\":" + definitionMappings(OpenSearchIndices.DOCUMENTS) + "}}");
        })) {
            new OpenSearchIndices(os.client(), "c", "d", "q").ensureStatusIndex();

            assertThat(os.requests).extracting(ScriptedOpenSearch.Request::method).containsExactly("HEAD", "PUT", "GET");
        }
    }

    @Test
    void an_existing_index_gets_only_the_fields_its_definition_added_since() throws Exception {
        ObjectNode older = (ObjectNode) definitionMappings(OpenSearchIndices.DOCUMENTS);
        ((ObjectNode) older.path("properties")).remove(List.of("embeddingTokens", "chunks"));
        try (ScriptedOpenSearch os = new ScriptedOpenSearch(r -> switch (r.method()) {
            case "HEAD" -> new ScriptedOpenSearch.Answer(200, "");
            case "GET" -> new ScriptedOpenSearch.Answer(200, "{\"d\":{\"mappings\":" + older + "}}");
            default -> new ScriptedOpenSearch.Answer(200, "{\"acknowledged\":true}");
        })) {
            new OpenSearchIndices(os.client(), "c", "d", "q").ensureStatusIndex();

            ScriptedOpenSearch.Request put = os.requests.getLast();
            assertThat(put.method() + " " + put.uri()).isEqualTo("PUT /d/_mapping");
            assertThat(JSON.readTree(put.body())).isEqualTo(JSON.readTree(
                    "{\"properties\":{\"embeddingTokens\":{\"type\":\"long\"},\"chunks\":{\"type\":\"integer\"}}}"));
        }
    }

    @Test
    void refuses_a_chunk_index_made_for_another_model() throws Exception {
        ObjectNode mappings = (ObjectNode) definitionMappings(OpenSearchIndices.CHUNKS);
        try (ScriptedOpenSearch os = new ScriptedOpenSearch(r -> r.method().equals("HEAD") ? new ScriptedOpenSearch.Answer(200, "")
                : new ScriptedOpenSearch.Answer(200, "{\"c\":{\"mappings\":" + mappings + "}}"))) {
            assertThatThrownBy(() -> new OpenSearchIndices(os.client(), "c", "d", "q").ensureChunkIndex("other-model", 384))
                    .isInstanceOf(dev.quarry.core.port.ChunkIndex.ModelMismatchException.class)
                    .hasMessageContaining("holds vectors of " + OpenSearchIndices.DEFAULT_EMBEDDING_MODEL + " (384 dimensions)");
        }
    }

    private static JsonNode definitionMappings(String name) {
        return OpenSearchIndices.definition(name).path("mappings");
    }
}
