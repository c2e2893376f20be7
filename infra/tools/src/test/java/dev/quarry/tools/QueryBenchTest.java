package dev.quarry.tools;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QueryBenchTest {

    @Test
    void raw_msearch_sends_the_products_bm25_and_knn_searches_both_filtered_to_the_tenant() throws Exception {
        String ndjson = QueryBench.msearchBody("quarry-chunks", "demo", "what is R?", new float[] {0.5f, -0.25f}, 50);

        String[] lines = ndjson.split("\n");
        assertThat(lines).hasSize(4);
        assertThat(ndjson).endsWith("\n");
        JsonNode bm25 = BeirDataset.JSON.readTree(lines[1]);
        JsonNode knn = BeirDataset.JSON.readTree(lines[3]);
        assertThat(BeirDataset.JSON.readTree(lines[0]).path("index").toString()).isEqualTo("[\"quarry-chunks\"]");
        assertThat(BeirDataset.JSON.readTree(lines[2]).path("index").toString()).isEqualTo("[\"quarry-chunks\"]");
        assertThat(bm25.path("size").asInt()).isEqualTo(50);
        assertThat(bm25.at("/query/bool/filter/0/term/tenant/value").asText()).isEqualTo("demo");
        // the product's BM25 clause: text, document context and section together
        JsonNode multiMatch = bm25.at("/query/bool/must/0/multi_match");
        assertThat(multiMatch.path("query").asText()).isEqualTo("what is R?");
        assertThat(multiMatch.path("fields").toString()).contains("\"text\"", "context^", "section^");
        assertThat(knn.at("/query/knn/embedding/k").asInt()).isEqualTo(50);
        assertThat(knn.at("/query/knn/embedding/vector/1").asDouble()).isEqualTo(-0.25);
        assertThat(knn.at("/query/knn/embedding/filter/bool/filter/0/term/tenant/value").asText()).isEqualTo("demo");
        assertThat(knn.at("/_source/excludes/0").asText()).isEqualTo("embedding");
    }

    @Test
    void the_default_queries_are_found_beside_the_checkout_not_at_a_machine_specific_path() {
        assertThat(java.nio.file.Path.of(QueryBench.DEFAULT_QUERIES).isAbsolute()).isFalse();
        assertThat(QueryBench.queriesFile(QueryBench.DEFAULT_QUERIES))
                .isEqualTo(ProjectPaths.root().getParent().resolve("shared/eval/scifact/queries.train.jsonl"));
    }
}
