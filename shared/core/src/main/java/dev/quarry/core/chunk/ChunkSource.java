package dev.quarry.core.chunk;

import java.util.Objects;

/** Which document version and part the chunks belong to; every chunk carries these and its id derives from them. */
public record ChunkSource(String tenant, String documentId, String version, String name, int part) {
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
