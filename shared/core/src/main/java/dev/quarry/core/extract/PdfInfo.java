package dev.quarry.core.extract;

import dev.quarry.model.DocumentMetadata;

/**
 * What {@link PdfExtractor#inspect} learned about a PDF that passed validation; {@code firstPagesText}
 * is the cleaned text of its first {@link DocumentContexts#FIRST_PAGES} pages (for its context).
 */
public record PdfInfo(DocumentMetadata metadata, int pageCount, String firstPagesText) {
}
