package dev.quarry.retrieval.fusion;

import dev.quarry.model.SearchHit;
import dev.quarry.retrieval.text.Terms;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Maximal marginal relevance (Carbonell and Goldstein, 1998): picks hits one at a time, trading
 * relevance against similarity to what is already picked, so that overlapping chunks or the same
 * paragraph in two versions of a document do not fill the whole answer context.
 */
public final class Mmr {

    private Mmr() {
    }

    /** {@link #rerank(List, double, int, BiFunction)} with {@link #textOverlap} as the similarity, for when no vectors are at hand. */
    public static List<SearchHit> rerank(List<SearchHit> hits, double lambda, int topK) {
        Map<SearchHit, Set<String>> wordSets = new IdentityHashMap<>();
        return rerank(hits, lambda, topK, (a, b) -> Terms.jaccard(
                wordSets.computeIfAbsent(a, Mmr::wordSet), wordSets.computeIfAbsent(b, Mmr::wordSet)));
    }

    /**
     * Reorders {@code hits} (best first) by maximal marginal relevance and keeps the first
     * {@code topK}. Each step picks the hit maximizing
     * {@code lambda * relevance - (1 - lambda) * max similarity to the hits already picked}, where
     * relevance is the hit's score min-max normalized over {@code hits} so that it lives on the same
     * [0, 1] scale as the similarity. {@code lambda = 1} keeps the relevance order, {@code lambda = 0}
     * only seeks diversity. Equal values keep the input order. The hits keep their own scores, so
     * the returned list is in MMR order, not in score order.
     *
     * @param similarity a similarity in [0, 1], for instance the cosine of the chunk vectors
     */
    public static List<SearchHit> rerank(List<SearchHit> hits, double lambda, int topK,
                                         BiFunction<SearchHit, SearchHit, Double> similarity) {
        Objects.requireNonNull(hits, "hits");
        Objects.requireNonNull(similarity, "similarity");
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("lambda must be in [0, 1], was " + lambda);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0, was " + topK);
        }

        double[] relevance = normalizedScores(hits);
        // maxSimilarity[i]: highest similarity of candidate i to any hit picked so far.
        double[] maxSimilarity = new double[hits.size()];
        boolean[] picked = new boolean[hits.size()];
        List<SearchHit> result = new ArrayList<>(Math.min(topK, hits.size()));

        while (result.size() < Math.min(topK, hits.size())) {
            int best = -1;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < hits.size(); i++) {
                if (picked[i]) {
                    continue;
                }
                double value = lambda * relevance[i] - (1 - lambda) * maxSimilarity[i];
                if (value > bestValue) {
                    bestValue = value;
                    best = i;
                }
            }
            picked[best] = true;
            SearchHit chosen = hits.get(best);
            result.add(chosen);
            for (int i = 0; i < hits.size(); i++) {
                if (!picked[i]) {
                    maxSimilarity[i] = Math.max(maxSimilarity[i], similarity.apply(hits.get(i), chosen));
                }
            }
        }
        return result;
    }

    /** Jaccard similarity of the two hits' lowercase word sets. */
    public static double textOverlap(SearchHit a, SearchHit b) {
        return Terms.jaccard(wordSet(a), wordSet(b));
    }

    private static Set<String> wordSet(SearchHit hit) {
        return new HashSet<>(Terms.words(hit.text()));
    }

    private static double[] normalizedScores(List<SearchHit> hits) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (SearchHit hit : hits) {
            min = Math.min(min, hit.score());
            max = Math.max(max, hit.score());
        }
        double[] normalized = new double[hits.size()];
        for (int i = 0; i < normalized.length; i++) {
            normalized[i] = max > min ? (hits.get(i).score() - min) / (max - min) : 1.0;
        }
        return normalized;
    }
}
