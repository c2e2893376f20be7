package dev.quarry.core.pipeline;

import dev.quarry.core.metrics.StageWork;
import dev.quarry.core.port.Embedder;
import dev.quarry.core.port.ModelUsage;
import dev.quarry.core.port.ObjectStore;
import dev.quarry.model.Chunk;
import dev.quarry.model.DocumentStatus;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/** The embed stage: one chunked part in, one vector per chunk out (work/embedded/...), in batches. */
public final class EmbedService {
    private static final Logger LOG = Logger.getLogger(EmbedService.class);

    private final ObjectStore store;
    private final DocumentLifecycle documents;
    private final Embedder embedder;
    private final int batchSize;

    public EmbedService(ObjectStore store, DocumentLifecycle documents, Embedder embedder, int batchSize) {
        this.store = store;
        this.documents = documents;
        this.embedder = embedder;
        this.batchSize = batchSize;
    }

    public void handle(S3Notification event) {
        Keys.WorkKey wk = Keys.parseWork(event.key());
        if (!event.created() || wk == null || !event.key().startsWith(Keys.CHUNKS)) {
            LOG.warnf("Ignoring %s %s", event.eventName(), event.key());
            return;
        }
        if (!documents.current(wk.documentId(), wk.version())) {
            LOG.infof("Skipping %s: version no longer current", event.key());
            return;
        }
        WorkFiles.ChunkedPart part;
        try {
            part = WorkFiles.read(store, event.key(), WorkFiles.ChunkedPart.class);
        } catch (ObjectStore.ObjectMissingException e) {
            documents.missingWorkFile(wk.documentId(), wk.version(), "embed", e);
            LOG.infof("Skipping %s: it is gone and its version is no longer in the pipeline", event.key());
            return;
        }
        documents.advance(wk.documentId(), wk.version(), DocumentStatus.EMBEDDING);
        List<WorkFiles.ChunkVector> vectors = new ArrayList<>(part.chunks().size());
        List<Chunk> chunks = part.chunks();
        long tokens;
        try (ModelUsage.Meter meter = ModelUsage.start()) {
            for (int i = 0; i < chunks.size(); i += batchSize) {
                List<Chunk> batch = chunks.subList(i, Math.min(chunks.size(), i + batchSize));
                List<float[]> embedded = embedder.embedPassages(batch.stream().map(Chunk::embeddingText).toList());
                for (int j = 0; j < batch.size(); j++) {
                    vectors.add(new WorkFiles.ChunkVector(batch.get(j).chunkId(), embedded.get(j)));
                }
            }
            tokens = meter.tokens().embedding();
        }
        WorkFiles.write(store, Keys.work(Keys.EMBEDDED, wk.tenant(), wk.documentId(), wk.version(), wk.part()),
                new WorkFiles.EmbeddedPart(part.ref(), embedder.modelId(), embedder.dimension(), vectors, tokens));
        StageWork.chunks(vectors.size());
    }
}
