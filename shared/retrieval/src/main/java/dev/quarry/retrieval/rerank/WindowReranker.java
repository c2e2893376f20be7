package dev.quarry.retrieval.rerank;

import dev.quarry.model.SearchHit;
import dev.quarry.retrieval.answer.Relevance;
import dev.quarry.retrieval.answer.Sentences;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The local second pass: the same embedding model reads each candidate at a finer grain, in windows of
 * about 48 words (a few table rows, two or three sentences), and a candidate's best window
 * ranks it a second time. The two rankings, fused and by best window, are combined by reciprocal rank,
 * so a passage whose one row or sentence answers the question rises even when the rest of it is about
 * something else, which a vector of the whole passage averages away.
 *
 * <p>It costs one embedding per window (a few per candidate), so it is off unless
 * {@code quarry.search.rerank=local}.
 */
public final class WindowReranker implements Reranker {

    /** A window closes once it holds this many words (a line is never split). */
    static final int WINDOW_WORDS = 48;
    private static final int RRF_K = 60;

    private final Relevance relevance;
    private final double windowWeight;

    /**
     * @param relevance    the embedding model's cosine of the question and each window
     * @param windowWeight weight of the window ranking against the fused ranking (weight 1)
     */
    public WindowReranker(Relevance relevance, double windowWeight) {
        this.relevance = Objects.requireNonNull(relevance, "relevance");
        if (!(windowWeight >= 0)) {
            throw new IllegalArgumentException("windowWeight must be >= 0, was " + windowWeight);
        }
        this.windowWeight = windowWeight;
    }

    @Override
    public List<SearchHit> rerank(String query, List<SearchHit> hits, int topK) {
        List<String> windows = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        for (int i = 0; i < hits.size(); i++) {
            SearchHit hit = hits.get(i);
            for (String w : windows(hit.text())) {
                windows.add(prefix(hit) + w);
                owner.add(i);
            }
        }
        double[] similarity = windows.isEmpty() ? null : relevance.similarities(query, windows);
        if (similarity == null) {
            return NONE.rerank(query, hits, topK);
        }
        double[] best = new double[hits.size()];
        java.util.Arrays.fill(best, Double.NEGATIVE_INFINITY);
        for (int j = 0; j < similarity.length; j++) {
            best[owner.get(j)] = Math.max(best[owner.get(j)], similarity[j]);
        }
        List<Integer> byWindow = new ArrayList<>();
        for (int i = 0; i < hits.size(); i++) {
            byWindow.add(i);
        }
        byWindow.sort(Comparator.comparingDouble((Integer i) -> best[i]).reversed().thenComparingInt(i -> i));
        double[] score = new double[hits.size()];
        for (int i = 0; i < hits.size(); i++) {
            score[i] += 1.0 / (RRF_K + i + 1);
        }
        for (int r = 0; r < byWindow.size(); r++) {
            score[byWindow.get(r)] += windowWeight / (RRF_K + r + 1);
        }
        List<Integer> order = new ArrayList<>(byWindow);
        order.sort(Comparator.comparingDouble((Integer i) -> score[i]).reversed().thenComparingInt(i -> i));
        List<SearchHit> out = new ArrayList<>();
        for (int i : order.subList(0, Math.min(topK, order.size()))) {
            out.add(hits.get(i).withScore(score[i]));
        }
        return out;
    }

    /** Consecutive sentences and table rows, each window closed once it holds {@link #WINDOW_WORDS} words. */
    static List<String> windows(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        StringBuilder current = new StringBuilder();
        int words = 0;
        for (String unit : Sentences.split(text)) {
            if (!current.isEmpty()) {
                current.append('\n');
            }
            current.append(unit);
            words += unit.split("\\s+").length;
            if (words >= WINDOW_WORDS) {
                out.add(current.toString());
                current.setLength(0);
                words = 0;
            }
        }
        if (!current.isEmpty()) {
            out.add(current.toString());
        }
        return out;
    }

    /** The section a window sits under, on its own first line, as the passage was embedded. */
    private static String prefix(SearchHit hit) {
        return hit.section() == null || hit.section().isBlank() ? "" : hit.section().strip() + "\n";
    }
}
