package dev.quarry.functions.embed;

import dev.quarry.testsupport.FakeEmbedder;
import dev.quarry.testsupport.InMemoryObjectStore;
import dev.quarry.testsupport.InMemoryStatusStore;
import dev.quarry.testsupport.RecordingQueueVisibility;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The bucket, the status index and the embedding model as fakes. The store fakes switch off the
 * {@code @DefaultBean} producers of shared/adapters; the embedder must be an alternative because
 * shared/ai produces the real one as a plain bean.
 */
@ApplicationScoped
public class FakeAdapters {

    @Produces
    @Singleton
    InMemoryObjectStore objectStore() {
        return new InMemoryObjectStore();
    }

    @Produces
    @Singleton
    InMemoryStatusStore statusStore() {
        return new InMemoryStatusStore();
    }

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    FakeEmbedder embedder() {
        return new FakeEmbedder();
    }

    /** The stage's queue: redelivery delays are recorded, never sent to SQS. */
    @Produces
    @Singleton
    RecordingQueueVisibility queueVisibility() {
        return new RecordingQueueVisibility();
    }
}
