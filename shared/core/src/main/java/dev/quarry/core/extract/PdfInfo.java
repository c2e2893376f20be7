package dev.quarry.core.extract;

import dev.quarry.model.DocumentMetadata;

/** What {@link PdfExtractor#inspect} learned about a PDF that passed validation. */
public record PdfInfo(DocumentMetadata metadata, int pageCount) {
}
