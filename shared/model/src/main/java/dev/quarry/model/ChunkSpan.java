package dev.quarry.model;

/**
 * Where a piece of a chunk comes from: characters {@code [start, end)} of the cleaned text of
 * {@code page}. A chunk that crosses a page boundary has one span per page, in reading order.
 */
public record ChunkSpan(int page, int start, int end) {
}
