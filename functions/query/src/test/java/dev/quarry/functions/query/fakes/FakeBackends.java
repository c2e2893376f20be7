package dev.quarry.functions.query.fakes;

import dev.quarry.testsupport.FakeSearchBackendHealth;
import dev.quarry.testsupport.InMemoryChunkIndex;
import dev.quarry.testsupport.InMemoryObjectStore;
import dev.quarry.testsupport.InMemoryQueryHistory;
import dev.quarry.testsupport.InMemoryStatusStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Replaces the storage adapters for handler tests with the contract-tested in-memory fakes of
 * shared/test-support (they displace the {@code @DefaultBean} adapters). Tests inject the fakes to
 * seed and inspect.
 */
@ApplicationScoped
public class FakeBackends {

    @Produces
    @Singleton
    InMemoryChunkIndex chunkIndex() {
        return new InMemoryChunkIndex();
    }

    @Produces
    @Singleton
    InMemoryStatusStore statusStore() {
        return new InMemoryStatusStore();
    }

    @Produces
    @Singleton
    InMemoryObjectStore objectStore() {
        return new InMemoryObjectStore();
    }

    @Produces
    @Singleton
    InMemoryQueryHistory queryHistory() {
        return new InMemoryQueryHistory();
    }

    @Produces
    @Singleton
    FakeSearchBackendHealth searchBackendHealth() {
        return new FakeSearchBackendHealth();
    }

    @Produces
    @Singleton
    RecordingUploadExpiry uploadExpiry() {
        return new RecordingUploadExpiry();
    }
}
