package dev.quarry.model;

import java.time.Instant;
import java.util.List;

/**
 * The status record of one document (one PDF key). {@code version} is the S3 eTag of the PDF being
 * processed; {@code sequencer} is the S3 event sequencer that set it, so older events are ignored.
 * {@code embeddingTokens}: the input tokens the embedding model read for this version (every part once), known when
 * it is READY. {@code liveVersion} is the version whose chunks search shows: set when a version ends READY, kept while
 * a newer version is processed or fails (the previous one stays searchable), cleared when the document is deleted.
 * A version's chunks are written hidden and shown only when it completes, so a search never mixes two versions
 * and never finds a version that ended FAILED.
 */
public record DocumentRecord(
        String documentId,
        String tenant,
        String name,
        String key,
        String version,
        String sequencer,
        DocumentStatus status,
        ErrorCode errorCode,
        String reason,
        List<String> warnings,
        long sizeBytes,
        int pages,
        int parts,
        int partsDone,
        int chunks,
        String title,
        String author,
        Instant createdAt,
        Instant updatedAt,
        long embeddingTokens,
        String liveVersion) {

    public DocumentRecord {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public static DocumentRecord queued(String documentId, String tenant, String name, String key, Instant now) {
        return new DocumentRecord(documentId, tenant, name, key, null, null, DocumentStatus.QUEUED, null, null,
                List.of(), 0, 0, 0, 0, 0, null, null, now, now, 0, null);
    }

    public DocumentRecord withStatus(DocumentStatus newStatus, Instant now) {
        return new DocumentRecord(documentId, tenant, name, key, version, sequencer, newStatus, errorCode, reason,
                warnings, sizeBytes, pages, parts, partsDone, chunks, title, author, createdAt, now, embeddingTokens, liveVersion);
    }

    public DocumentRecord failed(ErrorCode code, String why, Instant now) {
        return new DocumentRecord(documentId, tenant, name, key, version, sequencer, DocumentStatus.FAILED, code, why,
                warnings, sizeBytes, pages, parts, partsDone, chunks, title, author, createdAt, now, embeddingTokens, liveVersion);
    }

    /** A new upload of the same key starts over: progress resets, identity and createdAt stay. */
    public DocumentRecord newVersion(String newVersion, String newSequencer, long size, Instant now) {
        return new DocumentRecord(documentId, tenant, name, key, newVersion, newSequencer, DocumentStatus.EXTRACTING,
                null, null, List.of(), size, 0, 0, 0, 0, null, null, createdAt == null ? now : createdAt, now, 0, liveVersion);
    }

    public DocumentRecord planned(int pageCount, int partCount, String docTitle, String docAuthor, Instant now) {
        return new DocumentRecord(documentId, tenant, name, key, version, sequencer, status, errorCode, reason,
                warnings, sizeBytes, pageCount, partCount, partsDone, chunks, docTitle, docAuthor, createdAt, now, embeddingTokens, liveVersion);
    }

    public DocumentRecord progress(int done, Instant now) {
        return new DocumentRecord(documentId, tenant, name, key, version, sequencer, status, errorCode, reason,
                warnings, sizeBytes, pages, parts, done, chunks, title, author, createdAt, now, embeddingTokens, liveVersion);
    }

    public DocumentRecord ready(int chunkCount, List<String> newWarnings, Instant now) {
        return new DocumentRecord(documentId, tenant, name, key, version, sequencer, DocumentStatus.READY, null, null,
                newWarnings, sizeBytes, pages, parts, parts, chunkCount, title, author, createdAt, now, embeddingTokens, version);
    }

    public DocumentRecord withWarnings(List<String> newWarnings, Instant now) {
        return new DocumentRecord(documentId, tenant, name, key, version, sequencer, status, errorCode, reason,
                newWarnings, sizeBytes, pages, parts, partsDone, chunks, title, author, createdAt, now, embeddingTokens, liveVersion);
    }

    public DocumentRecord deleted(String newSequencer, Instant now) {
        return new DocumentRecord(documentId, tenant, name, key, version, newSequencer, DocumentStatus.DELETED, null,
                null, List.of(), sizeBytes, pages, parts, partsDone, 0, title, author, createdAt, now, embeddingTokens, null);
    }

    public DocumentRecord withEmbeddingTokens(long tokens) {
        return new DocumentRecord(documentId, tenant, name, key, version, sequencer, status, errorCode, reason,
                warnings, sizeBytes, pages, parts, partsDone, chunks, title, author, createdAt, updatedAt, tokens, liveVersion);
    }
}
