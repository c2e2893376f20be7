package dev.quarry.core.chunk;

import dev.quarry.model.DocumentContext;
import java.util.Objects;

/**
 * Which document version and part the chunks belong to; every chunk carries these and its id derives
 * from them. {@code context} is what the document says about itself (may be null).
 */
public record ChunkSource(String tenant, String documentId, String version, String name, int part,
        DocumentContext context) {
    public ChunkSource(String tenant, String documentId, String version, String name, int part) {
        this(tenant, documentId, version, name, part, null);
    }

    public ChunkSource {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(name, "name");
        if (part < 0) {
            throw new IllegalArgumentException("part must not be negative, was " + part);
        }
    }
}
