package dev.quarry.retrieval.eval;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Per-query retrieval metrics, defined as BEIR computes them (pytrec_eval's {@code ndcg_cut},
 * {@code recall} and BEIR's own {@code mrr_cut}), so our numbers compare with published ones.
 *
 * <p>Each metric first collapses {@code rankedIds} with {@link #dedupe}: we retrieve chunks, BEIR
 * judges documents, and a document whose chunks fill ranks 1 to 3 was still retrieved once.
 * A document counts as relevant when its grade in {@code relevance} is above 0; documents missing
 * from {@code relevance} have grade 0.
 */
public final class RetrievalMetrics {

    private RetrievalMetrics() {
    }

    /**
     * Normalized discounted cumulative gain at {@code k}: {@code sum grade / log2(rank + 1)} over the
     * first {@code k} ranks, divided by the same sum for the best possible order of the judged
     * grades. Gains are the grades themselves (not {@code 2^grade - 1}), as in pytrec_eval.
     * 0 when no document is relevant.
     */
    public static double ndcgAtK(List<String> rankedIds, Map<String, Integer> relevance, int k) {
        requirePositive(k);
        List<String> ranked = dedupe(rankedIds);
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            dcg += grade(relevance, ranked.get(i)) / log2(i + 2);
        }
        List<Integer> ideal = relevance.values().stream()
                .filter(grade -> grade > 0)
                .sorted((a, b) -> Integer.compare(b, a))
                .limit(k)
                .toList();
        double idcg = 0;
        for (int i = 0; i < ideal.size(); i++) {
            idcg += ideal.get(i) / log2(i + 2);
        }
        return idcg == 0 ? 0.0 : dcg / idcg;
    }

    /** Share of the relevant documents found in the first {@code k} ranks; 0 when none is relevant. */
    public static double recallAtK(List<String> rankedIds, Map<String, Integer> relevance, int k) {
        requirePositive(k);
        long relevant = relevance.values().stream().filter(grade -> grade > 0).count();
        if (relevant == 0) {
            return 0.0;
        }
        List<String> ranked = dedupe(rankedIds);
        long found = ranked.subList(0, Math.min(k, ranked.size())).stream()
                .filter(id -> grade(relevance, id) > 0)
                .count();
        return (double) found / relevant;
    }

    /** Reciprocal of the rank of the first relevant document within the first {@code k}, else 0. */
    public static double mrrAtK(List<String> rankedIds, Map<String, Integer> relevance, int k) {
        requirePositive(k);
        List<String> ranked = dedupe(rankedIds);
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            if (grade(relevance, ranked.get(i)) > 0) {
                return 1.0 / (i + 1);
            }
        }
        return 0.0;
    }

    /** Keeps the first occurrence of each id, in order. */
    public static List<String> dedupe(List<String> rankedIds) {
        return new ArrayList<>(new LinkedHashSet<>(rankedIds));
    }

    private static int grade(Map<String, Integer> relevance, String id) {
        return Math.max(0, relevance.getOrDefault(id, 0));
    }

    private static double log2(int x) {
        return Math.log(x) / Math.log(2);
    }

    private static void requirePositive(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, was " + k);
        }
    }
}
