package dev.quarry.functions.index;

import dev.quarry.adapters.config.QuarryConfig;
import dev.quarry.core.lambda.S3EventBatchProcessor;
import dev.quarry.core.pipeline.Documents;
import dev.quarry.core.pipeline.IndexService;
import dev.quarry.core.port.ChunkIndex;
import dev.quarry.core.port.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

@ApplicationScoped
public class IndexWiring {

    /** The index function needs only the model's id and dimension, never the model itself. */
    @Produces
    @ApplicationScoped
    IndexService indexService(ObjectStore store, Documents documents, ChunkIndex index, QuarryConfig config) {
        return new IndexService(store, documents, index, config.embedding().modelId(), config.embedding().dimension());
    }

    /** Built once per sandbox; on the queue's last delivery a failing record ends its document FAILED. */
    @Produces
    @Singleton
    S3EventBatchProcessor processor(IndexService service, Documents documents, QuarryConfig config) {
        return new S3EventBatchProcessor(service::handle, config.queue().maxReceiveCount(),
                (notification, cause, attempts) -> documents.giveUp("index", notification, cause, attempts));
    }
}
