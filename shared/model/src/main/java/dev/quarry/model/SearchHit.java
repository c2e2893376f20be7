package dev.quarry.model;

import java.util.List;

/**
 * A chunk found by retrieval, with the score of the method that ranked it. {@code section} is the
 * heading path and column headers the passage sits under (may be null): it tells a reader of a table
 * row which statement and which years its values belong to. {@code context} is what the document says
 * about itself (title, company, period; may be null): it tells which filing a passage comes from.
 */
public record SearchHit(
        String chunkId,
        String documentId,
        String name,
        int pageStart,
        int pageEnd,
        String text,
        List<ChunkSpan> spans,
        double score,
        String section,
        String context) {

    public SearchHit(String chunkId, String documentId, String name, int pageStart, int pageEnd, String text,
            List<ChunkSpan> spans, double score, String section) {
        this(chunkId, documentId, name, pageStart, pageEnd, text, spans, score, section, null);
    }

    public SearchHit(String chunkId, String documentId, String name, int pageStart, int pageEnd, String text,
            List<ChunkSpan> spans, double score) {
        this(chunkId, documentId, name, pageStart, pageEnd, text, spans, score, null);
    }

    public SearchHit withScore(double newScore) {
        return new SearchHit(chunkId, documentId, name, pageStart, pageEnd, text, spans, newScore, section, context);
    }
}
