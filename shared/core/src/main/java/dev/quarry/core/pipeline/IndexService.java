package dev.quarry.core.pipeline;

import dev.quarry.core.metrics.StageWork;
import dev.quarry.core.port.ChunkIndex;
import dev.quarry.core.port.ObjectStore;
import dev.quarry.core.port.PermanentException;
import dev.quarry.model.Chunk;
import dev.quarry.model.DocumentStatus;
import dev.quarry.model.ErrorCode;
import dev.quarry.model.IndexedChunk;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The index stage: writes one embedded part into the chunk index under deterministic ids, counts
 * the version's finished parts and, when all are in, shows the version to search, removes the
 * previous version's chunks and marks the document READY. A version's chunks are written hidden
 * (unless it is already the version search shows), so search never mixes two versions of a document
 * and never finds one that ends FAILED. It also handles a removed upload: chunks, work files and
 * progress go, and the status becomes DELETED.
 */
public final class IndexService {
    private static final Logger LOG = Logger.getLogger(IndexService.class);
    private static final List<String> WORK_PREFIXES = List.of(Keys.RANGES, Keys.EXTRACTED, Keys.CHUNKS, Keys.EMBEDDED);

    private final ObjectStore store;
    private final DocumentLifecycle documents;
    private final ChunkIndex index;
    private final String modelId;
    private final int dimension;

    public IndexService(ObjectStore store, DocumentLifecycle documents, ChunkIndex index, String modelId, int dimension) {
        this.store = store;
        this.documents = documents;
        this.index = index;
        this.modelId = modelId;
        this.dimension = dimension;
    }

    public void handle(S3Notification event) {
        if (event.removed() && event.key().startsWith(Keys.DOCUMENTS)) {
            remove(event);
        } else if (event.created() && event.key().startsWith(Keys.EMBEDDED)) {
            indexPart(event.key());
        } else {
            LOG.warnf("Ignoring %s %s", event.eventName(), event.key());
        }
    }

    void indexPart(String key) {
        Keys.WorkKey wk = Keys.parseWork(key);
        if (wk == null || !documents.current(wk.documentId(), wk.version())) {
            LOG.infof("Skipping %s: not a current part", key);
            return;
        }
        WorkFiles.EmbeddedPart embedded;
        WorkFiles.ChunkedPart chunked;
        try {
            embedded = WorkFiles.read(store, key, WorkFiles.EmbeddedPart.class);
            chunked = WorkFiles.read(store, Keys.work(Keys.CHUNKS, wk.tenant(), wk.documentId(), wk.version(), wk.part()),
                    WorkFiles.ChunkedPart.class);
        } catch (ObjectStore.ObjectMissingException e) {
            documents.missingWorkFile(wk.documentId(), wk.version(), "index", e);
            LOG.infof("Skipping %s: %s, and its version is no longer in the pipeline", key, e.getMessage());
            return;
        }
        if (!modelId.equals(embedded.model()) || dimension != embedded.dimension()) {
            documents.fail(wk.documentId(), wk.version(), ErrorCode.MODEL_MISMATCH, "Vectors were made with " + embedded.model() + " (" + embedded.dimension()
                    + " dimensions) but the index uses " + modelId + " (" + dimension + "); re-embed the document.");
            return;
        }
        index.checkModel(modelId, dimension);
        documents.advance(wk.documentId(), wk.version(), DocumentStatus.INDEXING);
        Map<String, float[]> vectors = embedded.vectors().stream()
                .collect(Collectors.toMap(WorkFiles.ChunkVector::chunkId, WorkFiles.ChunkVector::vector, (a, b) -> a));
        List<IndexedChunk> batch = new ArrayList<>();
        for (Chunk c : chunked.chunks()) {
            float[] v = vectors.get(c.chunkId());
            if (v == null) {
                throw new PermanentException(ErrorCode.INTERNAL, "The work file " + key + " has no vector for chunk " + c.chunkId()
                        + " of its chunked part, so this version cannot be indexed. Upload the PDF again.");
            }
            batch.add(new IndexedChunk(c, v));
        }
        // Hidden until the version completes, unless search shows this version already (the same bytes run again).
        boolean searchable = documents.searchable(wk.documentId(), wk.version());
        if (!batch.isEmpty()) {
            index.index(batch, searchable);
        }
        StageWork.chunks(batch.size());
        // The same bytes uploaded again are the same version: chunks an earlier chunker cut from this part must go.
        index.deletePartExcept(wk.tenant(), wk.documentId(), wk.version(), wk.part(),
                batch.stream().map(c -> c.chunk().chunkId()).collect(Collectors.toSet()));
        DocumentLifecycle.Progress progress = documents.partIndexed(wk.documentId(), wk.version(), wk.part(), embedded.embeddingTokens());
        if (progress == DocumentLifecycle.Progress.DELETED) {
            // Deleted while this part was being written: nothing of the document may stay searchable. (A version
            // replaced meanwhile is left to the newer one, which removes every other version when it completes.)
            index.deleteDocument(wk.tenant(), wk.documentId());
            documents.forgetParts(wk.documentId());
            LOG.infof("Part %s was indexed while its document was deleted; its chunks are removed again", key);
            return;
        }
        if (progress == DocumentLifecycle.Progress.ALL_PARTS_DONE) {
            complete(wk);
        } else if (progress == DocumentLifecycle.Progress.NOT_CURRENT && !searchable) {
            settle(wk);
        }
    }

    /**
     * This part was written hidden, and meanwhile its version ended or was replaced. Completed READY (a replay of
     * the part racing the completion): show the part too. Failed or replaced: its chunks could never be shown, so
     * they go.
     */
    private void settle(Keys.WorkKey wk) {
        if (documents.searchable(wk.documentId(), wk.version())) {
            index.publishPart(wk.tenant(), wk.documentId(), wk.version(), wk.part());
        } else {
            index.deletePartExcept(wk.tenant(), wk.documentId(), wk.version(), wk.part(), List.of());
            LOG.infof("Part %s was indexed after its version ended or was replaced; its chunks are removed again",
                    Keys.work(Keys.EMBEDDED, wk.tenant(), wk.documentId(), wk.version(), wk.part()));
        }
    }

    /**
     * Called right after the progress update found this version current and complete. The version is shown and
     * the other versions' chunks go before the status turns READY, so a client that sees READY finds the new text
     * and never the old. (Between the two calls, a search may see both versions for a moment.) A version without a
     * single chunk ends FAILED NO_TEXT and, like any failed version, leaves the version search shows as it was.
     */
    private void complete(Keys.WorkKey wk) {
        int chunks = (int) index.count(wk.tenant(), wk.documentId(), wk.version());
        if (chunks > 0) {
            index.publish(wk.tenant(), wk.documentId(), wk.version());
            index.deleteOtherVersions(wk.tenant(), wk.documentId(), wk.version());
        }
        documents.complete(wk.documentId(), wk.version(), chunks);
        LOG.infof("Document %s version %s complete: %d chunks", wk.documentId(), wk.version(), chunks);
    }

    void remove(S3Notification event) {
        Keys.DocumentKey doc = Keys.parseDocument(event.key());
        if (doc == null) {
            return;
        }
        if (documents.deleteIsStale(doc.documentId(), event.sequencer())) {
            LOG.infof("Ignoring delete of %s: a newer upload followed it", event.key());
            return;
        }
        index.deleteDocument(doc.tenant(), doc.documentId());
        int files = WORK_PREFIXES.stream()
                .mapToInt(p -> store.deletePrefix(Keys.workPrefix(p, doc.tenant(), doc.documentId()))).sum();
        documents.forgetParts(doc.documentId());
        documents.deleted(doc.documentId(), event.sequencer());
        LOG.infof("Removed %s: chunks, %d work files and progress", event.key(), files);
    }

}
