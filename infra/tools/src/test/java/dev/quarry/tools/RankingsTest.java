package dev.quarry.tools;

import dev.quarry.model.SearchHit;
import dev.quarry.retrieval.eval.RetrievalMetrics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RankingsTest {

    private static SearchHit hit(String chunkId, String documentId) {
        return new SearchHit(chunkId, documentId, documentId, 1, 1, "text", List.of(), 1.0);
    }

    @Test
    void ignores_a_hit_on_the_query_own_id_as_beir_does() {
        List<SearchHit> hits = List.of(hit("c1", "q7"), hit("c2", "d2"), hit("c3", "d3"));

        List<String> ranked = Rankings.documentIds(hits, "q7");

        assertThat(ranked).containsExactly("d2", "d3");
        // d2 moves up to rank 1 once the self-hit is gone: MRR 1, not 1/2
        assertThat(RetrievalMetrics.mrrAtK(ranked, Map.of("d2", 1), 10)).isEqualTo(1.0);
    }

    @Test
    void maps_chunks_to_documents_at_their_best_rank() {
        List<SearchHit> hits = List.of(hit("a#0", "a"), hit("b#0", "b"), hit("a#1", "a"), hit("c#0", "c"), hit("b#1", "b"));

        assertThat(Rankings.documentIds(hits, "zzz")).containsExactly("a", "b", "c");
    }
}
