package dev.quarry.retrieval.rerank;

import dev.quarry.model.SearchHit;
import java.util.List;

/**
 * A second, finer look at the fused candidates: reorders them by relevance to the question, best
 * first. Runs after fusion on a small pool, so a slow model costs one call per question.
 */
public interface Reranker {
    /**
     * @param query the question
     * @param hits  fused candidates, best first
     * @param topK  how many to return
     * @return at most {@code topK} of {@code hits}, best first, with the reranker's score
     */
    List<SearchHit> rerank(String query, List<SearchHit> hits, int topK);

    /** Keeps the fused order. */
    Reranker NONE = (query, hits, topK) -> hits.subList(0, Math.min(topK, hits.size()));
}
