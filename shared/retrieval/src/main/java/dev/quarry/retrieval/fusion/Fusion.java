package dev.quarry.retrieval.fusion;

import dev.quarry.model.SearchHit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Merges the BM25 and the k-NN result lists of one query into a single ranking.
 *
 * <p>This runs in the query function because OpenSearch's {@code hybrid} query needs the
 * neural-search plugin, which we cannot rely on.
 */
public final class Fusion {

    /** Best first; equal scores fall back to the chunk id so that the same input always ranks the same. */
    static final Comparator<SearchHit> BY_SCORE_THEN_ID =
            Comparator.comparingDouble(SearchHit::score).reversed().thenComparing(SearchHit::chunkId);

    private Fusion() {
    }

    /**
     * Fuses two ranked lists (each best first) into the {@code topK} best hits, carrying the fused
     * score. A chunk listed twice in one list counts at its first (best) rank. A chunk found by
     * both lists keeps the hit data of the BM25 list (the two carry the same chunk).
     *
     * <ul>
     *   <li>{@link FusionMethod#RRF}: {@code bm25Weight / (k + rank) + knnWeight / (k + rank)},
     *       ranks starting at 1, a list that misses the chunk contributing nothing.</li>
     *   <li>{@link FusionMethod#WEIGHTED}: each list's scores min-max normalized to [0, 1] (a list
     *       of one hit, or of equal scores, normalizes to 1.0), then
     *       {@code bm25Weight * n1 + knnWeight * n2}, a missing score counting as 0.</li>
     * </ul>
     */
    public static List<SearchHit> fuse(List<SearchHit> bm25, List<SearchHit> knn, FusionOptions options, int topK) {
        Objects.requireNonNull(bm25, "bm25");
        Objects.requireNonNull(knn, "knn");
        Objects.requireNonNull(options, "options");
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0, was " + topK);
        }

        List<SearchHit> lexical = firstOccurrences(bm25);
        List<SearchHit> vector = firstOccurrences(knn);

        Map<String, SearchHit> hitById = new LinkedHashMap<>();
        Map<String, Double> scoreById = new LinkedHashMap<>();
        addContributions(lexical, options.bm25Weight(), options, hitById, scoreById);
        addContributions(vector, options.knnWeight(), options, hitById, scoreById);

        return hitById.values().stream()
                .map(hit -> hit.withScore(scoreById.get(hit.chunkId())))
                .sorted(BY_SCORE_THEN_ID)
                .limit(topK)
                .toList();
    }

    private static void addContributions(List<SearchHit> hits, double weight, FusionOptions options,
                                         Map<String, SearchHit> hitById, Map<String, Double> scoreById) {
        double[] normalized = options.method() == FusionMethod.WEIGHTED ? minMax(hits) : null;
        for (int i = 0; i < hits.size(); i++) {
            SearchHit hit = hits.get(i);
            double contribution = switch (options.method()) {
                case RRF -> weight / (options.rrfK() + i + 1);
                case WEIGHTED -> weight * normalized[i];
            };
            hitById.putIfAbsent(hit.chunkId(), hit);
            scoreById.merge(hit.chunkId(), contribution, Double::sum);
        }
    }

    private static double[] minMax(List<SearchHit> hits) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (SearchHit hit : hits) {
            min = Math.min(min, hit.score());
            max = Math.max(max, hit.score());
        }
        double range = max - min;
        double[] normalized = new double[hits.size()];
        for (int i = 0; i < normalized.length; i++) {
            // With no spread there is nothing to tell the hits apart: all of them are this list's best.
            normalized[i] = range > 0 ? (hits.get(i).score() - min) / range : 1.0;
        }
        return normalized;
    }

    private static List<SearchHit> firstOccurrences(List<SearchHit> hits) {
        Map<String, SearchHit> byId = new LinkedHashMap<>();
        for (SearchHit hit : hits) {
            byId.putIfAbsent(hit.chunkId(), hit);
        }
        return new ArrayList<>(byId.values());
    }
}
