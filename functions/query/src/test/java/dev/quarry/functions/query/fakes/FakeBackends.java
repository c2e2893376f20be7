package dev.quarry.functions.query.fakes;

import dev.quarry.adapters.opensearch.OpenSearchClients;
import dev.quarry.testsupport.InMemoryObjectStore;
import dev.quarry.testsupport.InMemoryStatusStore;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Replaces the storage adapters for handler tests with the contract-tested in-memory fakes of
 * shared/test-support (they displace the {@code @DefaultBean} adapters), and the OpenSearch client,
 * which health and the query history use directly, pointed at a {@link FakeOpenSearch}. Tests
 * inject the fakes to seed and inspect.
 */
@ApplicationScoped
public class FakeBackends {

    @Produces
    @Singleton
    RecordingChunkIndex chunkIndex() {
        return new RecordingChunkIndex();
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
    FakeOpenSearch fakeOpenSearch() {
        return new FakeOpenSearch();
    }

    void stop(@Disposes FakeOpenSearch fake) {
        fake.close();
    }

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    OpenSearchClients.Handle openSearch(FakeOpenSearch fake) {
        return OpenSearchClients.local(fake.endpoint());
    }

    void close(@Disposes OpenSearchClients.Handle handle) throws Exception {
        handle.close();
    }
}
