package dev.quarry.core.pipeline;

import dev.quarry.core.chunk.Chunker;
import dev.quarry.core.chunk.ChunkSource;
import dev.quarry.core.metrics.StageWork;
import dev.quarry.core.port.ObjectStore;
import dev.quarry.model.Chunk;
import dev.quarry.model.DocumentStatus;
import org.jboss.logging.Logger;

import java.util.List;

/** The chunk stage: one extracted part in, its token-bounded chunks out (work/chunks/...). */
public final class ChunkService {
    private static final Logger LOG = Logger.getLogger(ChunkService.class);

    private final ObjectStore store;
    private final DocumentLifecycle documents;
    private final Chunker chunker;

    public ChunkService(ObjectStore store, DocumentLifecycle documents, Chunker chunker) {
        this.store = store;
        this.documents = documents;
        this.chunker = chunker;
    }

    public void handle(S3Notification event) {
        Keys.WorkKey wk = Keys.parseWork(event.key());
        if (!event.created() || wk == null || !event.key().startsWith(Keys.EXTRACTED)) {
            LOG.warnf("Ignoring %s %s", event.eventName(), event.key());
            return;
        }
        if (!documents.current(wk.documentId(), wk.version())) {
            LOG.infof("Skipping %s: version no longer current", event.key());
            return;
        }
        WorkFiles.ExtractedPart part;
        try {
            part = WorkFiles.read(store, event.key(), WorkFiles.ExtractedPart.class);
        } catch (ObjectStore.ObjectMissingException e) {
            documents.missingWorkFile(wk.documentId(), wk.version(), "chunk", e);
            LOG.infof("Skipping %s: it is gone and its version is no longer in the pipeline", event.key());
            return;
        }
        documents.advance(wk.documentId(), wk.version(), DocumentStatus.CHUNKING);
        WorkFiles.PartRef ref = part.ref();
        List<Chunk> chunks = chunker.chunk(new ChunkSource(ref.tenant(), ref.documentId(), ref.version(), ref.name(), ref.part(), part.context()),
                part.pages());
        WorkFiles.write(store, Keys.work(Keys.CHUNKS, wk.tenant(), wk.documentId(), wk.version(), wk.part()),
                new WorkFiles.ChunkedPart(ref, chunks));
        StageWork.chunks(chunks.size());
        documents.warn(wk.documentId(), wk.version(), part.warnings());
    }
}
