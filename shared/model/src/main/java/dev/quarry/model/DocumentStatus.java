package dev.quarry.model;

/** Where a document is in the pipeline. The order of the constants is the order of the stages. */
public enum DocumentStatus {
    QUEUED, EXTRACTING, CHUNKING, EMBEDDING, INDEXING, READY, FAILED, DELETED;

    public boolean terminal() {
        return this == READY || this == FAILED || this == DELETED;
    }
}
