package dev.quarry.functions.embed;

import dev.quarry.adapters.config.QuarryConfig;
import dev.quarry.core.pipeline.Documents;
import dev.quarry.core.pipeline.EmbedService;
import dev.quarry.core.port.Embedder;
import dev.quarry.core.port.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

@ApplicationScoped
public class EmbedWiring {

    @Produces
    @ApplicationScoped
    EmbedService embedService(ObjectStore store, Documents documents, Embedder embedder, QuarryConfig config) {
        return new EmbedService(store, documents, embedder, config.embedding().batchSize());
    }
}
