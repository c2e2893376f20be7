package dev.quarry.retrieval.fusion;

import dev.quarry.model.SearchHit;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.quarry.retrieval.Hits.hit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FusionTest {

    private static final double EPS = 1e-12;
    private static final FusionOptions EQUAL = new FusionOptions(FusionMethod.RRF, 60, 0.5, 0.5);

    @Test
    void rrf_ranks_a_hit_found_by_both_lists_first() {
        List<SearchHit> bm25 = List.of(hit("a", 14.2), hit("b", 9.1), hit("c", 3.0));
        List<SearchHit> knn = List.of(hit("b", 0.91), hit("d", 0.88));

        List<SearchHit> fused = Fusion.fuse(bm25, knn, new FusionOptions(FusionMethod.RRF, 60, 0.5, 0.5), 10);

        assertThat(fused).extracting(SearchHit::chunkId).containsExactly("b", "a", "d", "c");
        assertThat(fused.get(0).score()).isCloseTo(0.5 / 62 + 0.5 / 61, within(EPS));
        assertThat(fused.get(1).score()).isCloseTo(0.5 / 61, within(EPS));
        assertThat(fused.get(2).score()).isCloseTo(0.5 / 62, within(EPS));
        assertThat(fused.get(3).score()).isCloseTo(0.5 / 63, within(EPS));
    }

    @Test
    void the_default_leans_to_knn_so_a_weak_lexical_list_cannot_bury_the_best_vector_hit() {
        // BM25 tops a chunk the vector side never found; k-NN tops another. With equal weights they tie
        // and the id decides; the default trusts the stronger retriever.
        List<SearchHit> bm25 = List.of(hit("lexical-only", 14.2), hit("both", 9.1));
        List<SearchHit> knn = List.of(hit("vector-only", 0.91), hit("both", 0.88));

        List<SearchHit> fused = Fusion.fuse(bm25, knn, FusionOptions.defaults(), 10);

        assertThat(fused).extracting(SearchHit::chunkId).containsExactly("both", "vector-only", "lexical-only");
        assertThat(fused.get(1).score()).isCloseTo(0.7 / 61, within(EPS));
        assertThat(fused.get(2).score()).isCloseTo(0.3 / 61, within(EPS));
    }

    @Test
    void rrf_applies_the_list_weights() {
        List<SearchHit> bm25 = List.of(hit("a", 5), hit("b", 4));
        List<SearchHit> knn = List.of(hit("b", 0.9), hit("a", 0.8));
        FusionOptions vectorHeavy = new FusionOptions(FusionMethod.RRF, 10, 0.2, 0.8);

        List<SearchHit> fused = Fusion.fuse(bm25, knn, vectorHeavy, 10);

        assertThat(fused).extracting(SearchHit::chunkId).containsExactly("b", "a");
        assertThat(fused.get(0).score()).isCloseTo(0.2 / 12 + 0.8 / 11, within(EPS));
        assertThat(fused.get(1).score()).isCloseTo(0.2 / 11 + 0.8 / 12, within(EPS));
    }

    @Test
    void weighted_sums_min_max_normalized_scores_and_counts_a_missing_score_as_zero() {
        // bm25 normalizes to a=1, b=0.6, c=0; knn to b=1, d=0.
        List<SearchHit> bm25 = List.of(hit("a", 12), hit("b", 8), hit("c", 2));
        List<SearchHit> knn = List.of(hit("b", 0.9), hit("d", 0.5));
        FusionOptions options = new FusionOptions(FusionMethod.WEIGHTED, 60, 0.7, 0.3);

        List<SearchHit> fused = Fusion.fuse(bm25, knn, options, 10);

        assertThat(fused).extracting(SearchHit::chunkId).containsExactly("b", "a", "c", "d");
        assertThat(fused).extracting(SearchHit::score)
                .containsExactly(0.7 * 0.6 + 0.3 * 1.0, 0.7, 0.0, 0.0);
    }

    @Test
    void weighted_normalizes_a_single_hit_or_equal_scores_to_one() {
        List<SearchHit> bm25 = List.of(hit("a", 3.3), hit("b", 3.3));
        List<SearchHit> knn = List.of(hit("c", 0.42));

        List<SearchHit> fused = Fusion.fuse(bm25, knn, new FusionOptions(FusionMethod.WEIGHTED, 60, 0.5, 0.5), 10);

        assertThat(fused).extracting(SearchHit::score).containsOnly(0.5);
        assertThat(fused).extracting(SearchHit::chunkId).containsExactly("a", "b", "c");
    }

    @Test
    void equal_fused_scores_are_ordered_by_chunk_id() {
        List<SearchHit> fused = Fusion.fuse(List.of(hit("z", 7)), List.of(hit("y", 0.7)), EQUAL, 10);

        assertThat(fused).extracting(SearchHit::chunkId).containsExactly("y", "z");
    }

    @Test
    void keeps_the_hit_data_of_the_list_that_found_it_and_cuts_at_top_k() {
        SearchHit onlyVector = hit("d", 0.88, "Found by meaning only.");

        List<SearchHit> fused = Fusion.fuse(List.of(hit("a", 2), hit("b", 1)), List.of(onlyVector),
                EQUAL, 2);

        assertThat(fused).hasSize(2);
        assertThat(fused).extracting(SearchHit::chunkId).containsExactly("a", "d");
        assertThat(fused.get(1).text()).isEqualTo("Found by meaning only.");
        assertThat(fused.get(1).documentId()).isEqualTo("doc-d");
    }

    @Test
    void counts_a_chunk_repeated_in_one_list_once_at_its_best_rank() {
        List<SearchHit> fused = Fusion.fuse(List.of(hit("a", 3), hit("a", 2), hit("b", 1)), List.of(),
                EQUAL, 10);

        assertThat(fused).extracting(SearchHit::chunkId).containsExactly("a", "b");
        assertThat(fused.get(0).score()).isCloseTo(0.5 / 61, within(EPS));
        assertThat(fused.get(1).score()).isCloseTo(0.5 / 62, within(EPS));
    }

    @Test
    void rejects_options_that_cannot_rank() {
        assertThatThrownBy(() -> new FusionOptions(FusionMethod.RRF, 60, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FusionOptions(FusionMethod.RRF, -1, 0.5, 0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FusionOptions(FusionMethod.WEIGHTED, 60, -0.1, 0.5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
