package dev.quarry.functions.chunk;

import dev.quarry.config.QuarryConfig;
import dev.quarry.core.lambda.Backoff;
import dev.quarry.core.lambda.Redelivery;
import dev.quarry.core.lambda.S3EventBatchProcessor;
import dev.quarry.core.metrics.EmfWriter;
import dev.quarry.core.metrics.StageMetrics;
import dev.quarry.core.chunk.Chunker;
import dev.quarry.core.chunk.ChunkingOptions;
import dev.quarry.core.chunk.TokenCounter;
import dev.quarry.core.pipeline.ChunkService;
import dev.quarry.core.pipeline.DocumentLifecycle;
import dev.quarry.core.port.ObjectStore;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

@ApplicationScoped
public class ChunkWiring {

    @Produces
    @ApplicationScoped
    ChunkService chunkService(ObjectStore store, DocumentLifecycle documents, TokenCounter tokens, QuarryConfig config) {
        return new ChunkService(store, documents, new Chunker(tokens,
                new ChunkingOptions(config.chunking().maxTokens(), config.chunking().overlapTokens())));
    }

    /**
     * Built once per sandbox: a permanent failure ends its document FAILED at once; a transient one is retried
     * with backoff, then by the queue after a growing delay, and on the queue's last delivery ends its document FAILED too.
     */
    @Produces
    @Singleton
    S3EventBatchProcessor processor(ChunkService service, DocumentLifecycle documents, Backoff backoff, Redelivery redelivery,
            QuarryConfig config, MeterRegistry registry, EmfWriter emf) {
        return new S3EventBatchProcessor("chunk", service::handle, config.queue().maxReceiveCount(), backoff, documents::fail,
                new StageMetrics("chunk", registry, emf::flush), redelivery);
    }
}
