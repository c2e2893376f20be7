package dev.quarry.core.pipeline;

import dev.quarry.core.chunk.Chunker;
import dev.quarry.core.chunk.ChunkSource;
import dev.quarry.core.port.ObjectStore;
import dev.quarry.model.Chunk;
import dev.quarry.model.DocumentStatus;
import org.jboss.logging.Logger;

import java.util.List;

/** The chunk stage: one extracted part in, its token-bounded chunks out (work/chunks/...). */
public final class ChunkService {
    private static final Logger LOG = Logger.getLogger(ChunkService.class);

    private final ObjectStore store;
    private final Documents documents;
    private final Chunker chunker;

    public ChunkService(ObjectStore store, Documents documents, Chunker chunker) {
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
            return;
        }
        documents.advance(wk.documentId(), wk.version(), DocumentStatus.CHUNKING);
        WorkFiles.PartRef ref = part.ref();
        List<Chunk> chunks = chunker.chunk(new ChunkSource(ref.tenant(), ref.documentId(), ref.version(), ref.name(), ref.part(), part.context()),
                part.pages());
        WorkFiles.write(store, Keys.work(Keys.CHUNKS, wk.tenant(), wk.documentId(), wk.version(), wk.part()),
                new WorkFiles.ChunkedPart(ref, chunks));
        if (!part.warnings().isEmpty()) {
            documents.store().update(wk.documentId(), current -> current.filter(r -> wk.version().equals(r.version()))
                    .map(r -> r.withWarnings(merge(r.warnings(), part.warnings()), documents.clock().instant())));
        }
    }

    private static List<String> merge(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).distinct().limit(50).toList();
    }
}
