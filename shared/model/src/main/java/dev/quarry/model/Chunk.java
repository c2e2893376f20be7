package dev.quarry.model;

import java.util.List;

/**
 * One retrievable passage. {@code text} is the page texts of {@code spans} joined in order with a
 * single space, so a quote found in {@code text} can be mapped back to a page through the spans.
 * {@code context} (the document's title, company and period) and {@code section} (the headings the
 * passage sits under, and a table's column headers) take part in retrieval but are not part of
 * {@code text}: citations are verified against the text alone. Both may be null.
 */
public record Chunk(
        String chunkId,
        String tenant,
        String documentId,
        String version,
        String name,
        int part,
        int ordinal,
        int pageStart,
        int pageEnd,
        String text,
        List<ChunkSpan> spans,
        int tokenCount,
        String context,
        String section) {

    /** A passage without document or section context. */
    public Chunk(String chunkId, String tenant, String documentId, String version, String name, int part, int ordinal,
            int pageStart, int pageEnd, String text, List<ChunkSpan> spans, int tokenCount) {
        this(chunkId, tenant, documentId, version, name, part, ordinal, pageStart, pageEnd, text, spans, tokenCount,
                null, null);
    }

    /**
     * The text the embedding model reads: the document context and section headings on a first line,
     * then the passage, so the vector knows which filing and which statement the passage is from.
     */
    public String embeddingText() {
        String prefix = prefix();
        return prefix.isEmpty() ? text : prefix + "\n" + text;
    }

    private String prefix() {
        StringBuilder p = new StringBuilder();
        for (String s : new String[] {context, section}) {
            if (s != null && !s.isBlank()) {
                if (!p.isEmpty()) {
                    p.append(" | ");
                }
                p.append(s.strip());
            }
        }
        return p.toString();
    }
}
