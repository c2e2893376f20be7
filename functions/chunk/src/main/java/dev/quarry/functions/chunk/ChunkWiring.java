package dev.quarry.functions.chunk;

import dev.quarry.adapters.config.QuarryConfig;
import dev.quarry.core.lambda.S3EventBatchProcessor;
import dev.quarry.core.chunk.Chunker;
import dev.quarry.core.chunk.ChunkingOptions;
import dev.quarry.core.chunk.TokenCounter;
import dev.quarry.core.pipeline.ChunkService;
import dev.quarry.core.pipeline.Documents;
import dev.quarry.core.port.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

@ApplicationScoped
public class ChunkWiring {

    @Produces
    @ApplicationScoped
    ChunkService chunkService(ObjectStore store, Documents documents, TokenCounter tokens, QuarryConfig config) {
        return new ChunkService(store, documents, new Chunker(tokens,
                new ChunkingOptions(config.chunking().maxTokens(), config.chunking().overlapTokens())));
    }

    /** Built once per sandbox; on the queue's last delivery a failing record ends its document FAILED. */
    @Produces
    @Singleton
    S3EventBatchProcessor processor(ChunkService service, Documents documents, QuarryConfig config) {
        return new S3EventBatchProcessor(service::handle, config.queue().maxReceiveCount(),
                (notification, cause, attempts) -> documents.giveUp("chunk", notification, cause, attempts));
    }
}
