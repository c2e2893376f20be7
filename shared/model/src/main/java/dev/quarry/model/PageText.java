package dev.quarry.model;

/** Cleaned text of one PDF page; {@code page} is 1-based. Chunk offsets point into {@code text}. */
public record PageText(int page, String text) {
}
