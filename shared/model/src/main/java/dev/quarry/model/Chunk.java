package dev.quarry.model;

import java.util.List;

/**
 * One retrievable passage. {@code text} is the page texts of {@code spans} joined in order with a
 * single space, so a quote found in {@code text} can be mapped back to a page through the spans.
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
        int tokenCount) {
}
