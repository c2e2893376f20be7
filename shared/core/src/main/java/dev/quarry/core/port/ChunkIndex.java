package dev.quarry.core.port;

import dev.quarry.model.IndexedChunk;
import dev.quarry.model.SearchHit;

import java.util.Collection;
import java.util.List;

/** The search index of chunks. Every read is scoped to one tenant by the implementation. */
public interface ChunkIndex {

    /** Refuses (ModelMismatchException) when the index holds vectors of another model or dimension. */
    void checkModel(String modelId, int dimension);

    /** Writes chunks by id (overwrites: replays are harmless), searchable at once; retries what is retryable. */
    default void index(List<IndexedChunk> chunks) {
        index(chunks, true);
    }

    /**
     * Writes chunks by id (overwrites: replays are harmless); retries what is retryable. Chunks written with
     * {@code searchable} false are counted and deleted like the others, but no search finds them until
     * {@link #publish} or {@link #publishPart} shows them: a version is shown whole, once it is complete.
     */
    void index(List<IndexedChunk> chunks, boolean searchable);

    /** Makes every chunk of the version searchable (idempotent). */
    void publish(String tenant, String documentId, String version);

    /** Makes the chunks of one part of the version searchable (idempotent). */
    void publishPart(String tenant, String documentId, String version, int part);

    long count(String tenant, String documentId, String version);

    void deleteDocument(String tenant, String documentId);

    void deleteOtherVersions(String tenant, String documentId, String keepVersion);

    /**
     * Removes the chunks of one part of a version that are not in {@code keepChunkIds}: what an earlier run of
     * the same bytes left behind when the chunker has changed since (a part now cut into fewer or other chunks).
     */
    void deletePartExcept(String tenant, String documentId, String version, int part, Collection<String> keepChunkIds);

    /** BM25 and k-NN in one round trip, with the same tenant and document filters on both. */
    Retrieval search(Query query);

    enum Mode { HYBRID, BM25, KNN }

    record Query(String tenant, String text, float[] vector, int size, Mode mode, List<String> documentIds) {
    }

    record Retrieval(List<SearchHit> bm25, List<SearchHit> knn, long tookMillis) {
    }

    final class ModelMismatchException extends RuntimeException {
        public ModelMismatchException(String message) {
            super(message);
        }
    }
}
