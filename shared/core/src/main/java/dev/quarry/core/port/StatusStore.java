package dev.quarry.core.port;

import dev.quarry.model.DocumentRecord;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Document status records, readable by the query side. */
public interface StatusStore {

    Optional<DocumentRecord> get(String documentId);

    /**
     * Applies {@code change} to the current record atomically (optimistic concurrency, retried on
     * conflict). {@code change} receives empty when there is no record and returns null or empty to
     * leave it unchanged. Returns the record as stored afterwards.
     */
    Optional<DocumentRecord> update(String documentId, UnaryOperator<Optional<DocumentRecord>> change);

    /** Records that one part of a version is indexed (idempotent) and returns how many parts of it are. */
    default int markPartDone(String documentId, String version, int part) {
        return markPartDone(documentId, version, part, 0);
    }

    /**
     * Records that one part of a version is indexed, with the tokens the embedding model read for it (idempotent: a
     * part marked again replaces its tokens), and returns how many parts of the version are.
     */
    int markPartDone(String documentId, String version, int part, long embeddingTokens);

    /** The embedding tokens of the version's marked parts, each part once. */
    long embeddingTokens(String documentId, String version);

    void deleteParts(String documentId);

    /** How many of the tenant's documents are READY since a time in a period, and the embedding tokens they took. */
    record Ingested(long documents, long embeddingTokens) {
    }

    /** The tenant's documents that are READY and were last updated (made READY) from {@code from} (inclusive) to {@code to} (exclusive). */
    Ingested ingested(String tenant, Instant from, Instant to);

    /** The tenant's documents, newest first, excluding DELETED ones. */
    List<DocumentRecord> list(String tenant, int from, int size);

    long count(String tenant);
}
