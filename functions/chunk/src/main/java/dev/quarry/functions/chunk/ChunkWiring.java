package dev.quarry.functions.chunk;

import dev.quarry.adapters.config.QuarryConfig;
import dev.quarry.core.chunk.Chunker;
import dev.quarry.core.chunk.ChunkingOptions;
import dev.quarry.core.chunk.TokenCounter;
import dev.quarry.core.pipeline.ChunkService;
import dev.quarry.core.pipeline.Documents;
import dev.quarry.core.port.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

@ApplicationScoped
public class ChunkWiring {

    @Produces
    @ApplicationScoped
    ChunkService chunkService(ObjectStore store, Documents documents, TokenCounter tokens, QuarryConfig config) {
        return new ChunkService(store, documents, new Chunker(tokens,
                new ChunkingOptions(config.chunking().maxTokens(), config.chunking().overlapTokens())));
    }
}
