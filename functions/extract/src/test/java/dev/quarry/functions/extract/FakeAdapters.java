package dev.quarry.functions.extract;

import dev.quarry.testsupport.InMemoryObjectStore;
import dev.quarry.testsupport.InMemoryStatusStore;
import dev.quarry.testsupport.RecordingQueueVisibility;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The bucket and the status index as in-memory fakes. Their presence switches off the S3 and
 * OpenSearch producers of shared/adapters, which are {@code @DefaultBean}s.
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

    /** The stage's queue: redelivery delays are recorded, never sent to SQS. */
    @Produces
    @Singleton
    RecordingQueueVisibility queueVisibility() {
        return new RecordingQueueVisibility();
    }
}
