package dev.quarry.retrieval.eval;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RetrievalMetricsTest {

    private static final double EPS = 1e-9;

    @Test
    void ndcg_uses_graded_gains_a_log2_discount_and_the_ideal_order_of_the_judgments() {
        // DCG = 0/log2(2) + 1/log2(3) + 2/log2(4) = 1.6309297536; IDCG = 2/log2(2) + 1/log2(3) = 2.6309297536
        double ndcg = RetrievalMetrics.ndcgAtK(List.of("a", "b", "c"), Map.of("a", 0, "b", 1, "c", 2), 3);

        assertThat(ndcg).isCloseTo(0.6199062332840657, within(EPS));
    }

    @Test
    void ndcg_takes_the_ideal_from_all_judged_documents_even_unretrieved_ones() {
        // Only "b" (grade 1) retrieved at rank 1, but "x" (grade 2) was judged: IDCG = 2 + 1/log2(3).
        double ndcg = RetrievalMetrics.ndcgAtK(List.of("b"), Map.of("b", 1, "x", 2), 10);

        assertThat(ndcg).isCloseTo(1 / (2 + 1 / (Math.log(3) / Math.log(2))), within(EPS));
        assertThat(RetrievalMetrics.ndcgAtK(List.of("a", "b", "c"), Map.of("a", 0, "b", 1, "c", 2), 1)).isZero();
    }

    @Test
    void a_document_retrieved_as_several_chunks_counts_at_its_first_rank_only() {
        List<String> chunkDocIds = List.of("d1", "d1", "d1", "d2");

        assertThat(RetrievalMetrics.dedupe(chunkDocIds)).containsExactly("d1", "d2");
        // d2 at rank 2 after collapsing: 1/log2(3).
        assertThat(RetrievalMetrics.ndcgAtK(chunkDocIds, Map.of("d2", 1), 2))
                .isCloseTo(Math.log(2) / Math.log(3), within(EPS));
        assertThat(RetrievalMetrics.recallAtK(chunkDocIds, Map.of("d2", 1), 2)).isEqualTo(1.0);
        assertThat(RetrievalMetrics.mrrAtK(chunkDocIds, Map.of("d2", 1), 2)).isEqualTo(0.5);
    }

    @Test
    void recall_is_the_share_of_relevant_documents_in_the_top_k() {
        Map<String, Integer> relevance = Map.of("b", 1, "c", 2, "x", 1, "a", 0);

        assertThat(RetrievalMetrics.recallAtK(List.of("a", "b", "c"), relevance, 2)).isCloseTo(1.0 / 3, within(EPS));
        assertThat(RetrievalMetrics.recallAtK(List.of("a", "b", "c"), relevance, 3)).isCloseTo(2.0 / 3, within(EPS));
        assertThat(RetrievalMetrics.recallAtK(List.of("a"), Map.of("a", 0), 3)).isZero();
    }

    @Test
    void mrr_is_the_reciprocal_rank_of_the_first_relevant_document_within_k() {
        Map<String, Integer> relevance = Map.of("c", 1, "d", 2);

        assertThat(RetrievalMetrics.mrrAtK(List.of("a", "b", "c", "d"), relevance, 10)).isCloseTo(1.0 / 3, within(EPS));
        assertThat(RetrievalMetrics.mrrAtK(List.of("a", "b", "c", "d"), relevance, 2)).isZero();
    }

    @Test
    void accumulator_averages_each_metric_over_the_queries() {
        MetricsAccumulator accumulator = new MetricsAccumulator(10, 1);
        accumulator.add(List.of("a", "b"), Map.of("a", 1));          // perfect: 1, 1, 1 at both cut-offs
        accumulator.add(List.of("x", "y", "y", "b"), Map.of("b", 1)); // b at rank 3 after dedupe
        accumulator.add(List.of("x"), Map.of("z", 0));               // nothing relevant judged: all 0

        assertThat(accumulator.queries()).isEqualTo(3);
        assertThat(accumulator.meanNdcg(10)).isCloseTo((1 + 0.5 + 0) / 3, within(EPS));
        assertThat(accumulator.meanRecall(10)).isCloseTo(2.0 / 3, within(EPS));
        assertThat(accumulator.meanMrr(10)).isCloseTo((1 + 1.0 / 3) / 3, within(EPS));
        assertThat(accumulator.meanNdcg(1)).isCloseTo(1.0 / 3, within(EPS));
        assertThat(accumulator.summary()).containsOnlyKeys(
                "NDCG@1", "Recall@1", "MRR@1", "NDCG@10", "Recall@10", "MRR@10");
    }
}
