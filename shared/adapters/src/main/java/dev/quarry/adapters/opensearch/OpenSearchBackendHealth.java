package dev.quarry.adapters.opensearch;

import dev.quarry.core.port.SearchBackendHealth;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The cluster's own health status (GET _cluster/health). */
public final class OpenSearchBackendHealth implements SearchBackendHealth {
    private final OpenSearchClient client;

    public OpenSearchBackendHealth(OpenSearchClient client) {
        this.client = client;
    }

    @Override
    public String status() {
        try {
            return client.cluster().health().status().jsonValue();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the OpenSearch cluster health", e);
        }
    }
}
