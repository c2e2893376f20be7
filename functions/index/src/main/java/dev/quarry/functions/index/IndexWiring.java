package dev.quarry.functions.index;

import dev.quarry.config.QuarryConfig;
import dev.quarry.core.lambda.Backoff;
import dev.quarry.core.lambda.Redelivery;
import dev.quarry.core.lambda.S3EventBatchProcessor;
import dev.quarry.core.pipeline.ExpireUploadTask;
import dev.quarry.core.metrics.EmfWriter;
import dev.quarry.core.metrics.StageMetrics;
import dev.quarry.core.pipeline.DocumentLifecycle;
import dev.quarry.core.pipeline.IndexService;
import dev.quarry.core.port.ChunkIndex;
import dev.quarry.core.port.ObjectStore;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

@ApplicationScoped
public class IndexWiring {
    private static final Logger LOG = Logger.getLogger(IndexWiring.class);

    /** The index function needs only the model's id and dimension, never the model itself. */
    @Produces
    @ApplicationScoped
    IndexService indexService(ObjectStore store, DocumentLifecycle documents, ChunkIndex index, QuarryConfig config) {
        return new IndexService(store, documents, index, config.embedding().modelId(), config.embedding().dimension());
    }

    /**
     * Built once per sandbox: a permanent failure ends its document FAILED at once; a transient one is retried
     * with backoff, then by the queue after a growing delay, and on the queue's last delivery ends its document FAILED too.
     */
    @Produces
    @Singleton
    S3EventBatchProcessor processor(IndexService service, DocumentLifecycle documents, Backoff backoff, Redelivery redelivery,
            QuarryConfig config, MeterRegistry registry, EmfWriter emf) {
        return new S3EventBatchProcessor("index", service::handle, config.queue().maxReceiveCount(), backoff, documents::fail,
                new StageMetrics("index", registry, emf::flush), redelivery)
                .withTasks(body -> ExpireUploadTask.parse(body).map(task -> {
                    boolean ended = documents.expireUpload(task.documentId());
                    LOG.infof("Upload expiry of %s: %s", task.documentId(), ended ? "no upload came, FAILED UPLOAD_EXPIRED"
                            : "nothing to do (uploaded, given a fresh URL, or deleted)");
                    return true;
                }).orElse(false));
    }
}
