package dev.quarry.functions.embed;

import dev.quarry.config.QuarryConfig;
import dev.quarry.core.lambda.Backoff;
import dev.quarry.core.lambda.Redelivery;
import dev.quarry.core.lambda.S3EventBatchProcessor;
import dev.quarry.core.metrics.EmfWriter;
import dev.quarry.core.metrics.StageMetrics;
import dev.quarry.core.pipeline.DocumentLifecycle;
import dev.quarry.core.pipeline.EmbedService;
import dev.quarry.core.port.Embedder;
import dev.quarry.core.port.ObjectStore;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

@ApplicationScoped
public class EmbedWiring {

    @Produces
    @ApplicationScoped
    EmbedService embedService(ObjectStore store, DocumentLifecycle documents, Embedder embedder, QuarryConfig config) {
        return new EmbedService(store, documents, embedder, config.embedding().batchSize());
    }

    /**
     * Built once per sandbox: a permanent failure ends its document FAILED at once; a transient one is retried
     * with backoff, then by the queue after a growing delay, and on the queue's last delivery ends its document FAILED too.
     */
    @Produces
    @Singleton
    S3EventBatchProcessor processor(EmbedService service, DocumentLifecycle documents, Backoff backoff, Redelivery redelivery,
            QuarryConfig config, MeterRegistry registry, EmfWriter emf) {
        return new S3EventBatchProcessor("embed", service::handle, config.queue().maxReceiveCount(), backoff, documents::fail,
                new StageMetrics("embed", registry, emf::flush), redelivery);
    }
}
