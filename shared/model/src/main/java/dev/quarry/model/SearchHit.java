package dev.quarry.model;

import java.util.List;

/** A chunk found by retrieval, with the score of the method that ranked it. */
public record SearchHit(
        String chunkId,
        String documentId,
        String name,
        int pageStart,
        int pageEnd,
        String text,
        List<ChunkSpan> spans,
        double score) {

    public SearchHit withScore(double newScore) {
        return new SearchHit(chunkId, documentId, name, pageStart, pageEnd, text, spans, newScore);
    }
}
