package dev.quarry.retrieval.fusion;

import dev.quarry.model.SearchHit;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.quarry.retrieval.Hits.hit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MmrTest {

    private final SearchHit original = hit("a", 1.0,
            "Refunds are issued within 14 days of the request being approved by support.");
    private final SearchHit nearDuplicate = hit("b", 0.95,
            "Refunds are issued within 14 days of the request being approved by the support team.");
    private final SearchHit different = hit("c", 0.9,
            "Store credit never expires and can be used online.");

    @Test
    void demotes_a_near_duplicate_below_a_less_relevant_different_hit() {
        List<SearchHit> reranked = Mmr.rerank(List.of(original, nearDuplicate, different), 0.5, 3);

        assertThat(reranked).extracting(SearchHit::chunkId).containsExactly("a", "c", "b");
    }

    @Test
    void lambda_one_keeps_the_relevance_order() {
        List<SearchHit> reranked = Mmr.rerank(List.of(original, nearDuplicate, different), 1.0, 3);

        assertThat(reranked).extracting(SearchHit::chunkId).containsExactly("a", "b", "c");
    }

    @Test
    void keeps_top_k_and_the_hits_own_scores() {
        List<SearchHit> reranked = Mmr.rerank(List.of(original, nearDuplicate, different), 0.5, 2);

        assertThat(reranked).containsExactly(original, different);
    }

    @Test
    void uses_the_similarity_it_is_given() {
        // Claims a and c are the same thing, so b (unrelated to a by this measure) comes second.
        List<SearchHit> reranked = Mmr.rerank(List.of(original, nearDuplicate, different), 0.5, 3,
                (x, y) -> Set.of(x, y).equals(Set.of(original, different)) ? 1.0 : 0.0);

        assertThat(reranked).extracting(SearchHit::chunkId).containsExactly("a", "b", "c");
    }

    @Test
    void text_overlap_is_jaccard_of_lowercase_word_sets() {
        SearchHit x = hit("x", 1, "Leave policy, annual.");
        SearchHit y = hit("y", 1, "annual LEAVE rules");

        // {leave, policy, annual} vs {annual, leave, rules}: 2 shared of 4 distinct.
        assertThat(Mmr.textOverlap(x, y)).isCloseTo(0.5, within(1e-12));
    }
}
