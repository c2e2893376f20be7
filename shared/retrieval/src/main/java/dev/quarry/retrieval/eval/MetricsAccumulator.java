package dev.quarry.retrieval.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Averages {@link RetrievalMetrics} over the queries of an evaluation run, at each cut-off given.
 *
 * <p>Every query added counts, including one whose judgments hold no relevant document (it scores
 * 0), which is how BEIR averages over the judged queries. Not thread-safe.
 */
public final class MetricsAccumulator {

    private final int[] ks;
    private final Map<String, Double> sums = new LinkedHashMap<>();
    private int queries;

    /** @param ks the cut-offs, for instance 1, 10, 100 */
    public MetricsAccumulator(int... ks) {
        if (ks.length == 0) {
            throw new IllegalArgumentException("Give at least one cut-off k");
        }
        this.ks = Arrays.stream(ks).distinct().sorted().toArray();
        for (int k : this.ks) {
            if (k < 1) {
                throw new IllegalArgumentException("k must be >= 1, was " + k);
            }
            sums.put(ndcgKey(k), 0.0);
            sums.put(recallKey(k), 0.0);
            sums.put(mrrKey(k), 0.0);
        }
    }

    /** Adds one query's ranking (chunks' document ids are fine: they are deduplicated) and its judgments. */
    public void add(List<String> rankedIds, Map<String, Integer> relevance) {
        List<String> ranked = RetrievalMetrics.dedupe(rankedIds);
        for (int k : ks) {
            sums.merge(ndcgKey(k), RetrievalMetrics.ndcgAtK(ranked, relevance, k), Double::sum);
            sums.merge(recallKey(k), RetrievalMetrics.recallAtK(ranked, relevance, k), Double::sum);
            sums.merge(mrrKey(k), RetrievalMetrics.mrrAtK(ranked, relevance, k), Double::sum);
        }
        queries++;
    }

    public int queries() {
        return queries;
    }

    public double meanNdcg(int k) {
        return mean(ndcgKey(k));
    }

    public double meanRecall(int k) {
        return mean(recallKey(k));
    }

    public double meanMrr(int k) {
        return mean(mrrKey(k));
    }

    /** All means, keyed {@code NDCG@k}, {@code Recall@k}, {@code MRR@k} like BEIR's output; 0 before any query. */
    public Map<String, Double> summary() {
        Map<String, Double> means = new LinkedHashMap<>();
        for (String key : sums.keySet()) {
            means.put(key, mean(key));
        }
        return means;
    }

    private double mean(String key) {
        Double sum = sums.get(key);
        if (sum == null) {
            throw new IllegalArgumentException("Not accumulated: " + key);
        }
        return queries == 0 ? 0.0 : sum / queries;
    }

    private static String ndcgKey(int k) {
        return "NDCG@" + k;
    }

    private static String recallKey(int k) {
        return "Recall@" + k;
    }

    private static String mrrKey(int k) {
        return "MRR@" + k;
    }
}
