package dev.quarry.functions.embed;

import dev.quarry.adapters.config.QuarryConfig;
import dev.quarry.core.lambda.S3EventBatchProcessor;
import dev.quarry.core.pipeline.Documents;
import dev.quarry.core.pipeline.EmbedService;
import dev.quarry.core.port.Embedder;
import dev.quarry.core.port.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

@ApplicationScoped
public class EmbedWiring {

    @Produces
    @ApplicationScoped
    EmbedService embedService(ObjectStore store, Documents documents, Embedder embedder, QuarryConfig config) {
        return new EmbedService(store, documents, embedder, config.embedding().batchSize());
    }

    /** Built once per sandbox; on the queue's last delivery a failing record ends its document FAILED. */
    @Produces
    @Singleton
    S3EventBatchProcessor processor(EmbedService service, Documents documents, QuarryConfig config) {
        return new S3EventBatchProcessor(service::handle, config.queue().maxReceiveCount(),
                (notification, cause, attempts) -> documents.giveUp("embed", notification, cause, attempts));
    }
}
