package dev.quarry.model;

/** What the PDF says about itself. Absent fields are null, never empty strings. */
public record DocumentMetadata(String title, String author, String producer, int pageCount, boolean encrypted) {
}
