package dev.quarry.model;

/** A checkable claim source: {@code quote} occurs verbatim on {@code page} of the document. */
public record Citation(String documentId, String name, int page, String quote, String chunkId) {
}
