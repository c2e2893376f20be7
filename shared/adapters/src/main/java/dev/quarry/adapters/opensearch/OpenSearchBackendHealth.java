package dev.quarry.adapters.opensearch;

import dev.quarry.core.port.SearchBackendHealth;
import org.opensearch.client.opensearch.OpenSearchClient;

/** The cluster's own health status (GET _cluster/health). */
public final class OpenSearchBackendHealth implements SearchBackendHealth {
    private final OpenSearchClient client;

    public OpenSearchBackendHealth(OpenSearchClient client) {
        this.client = client;
    }

    @Override
    public String status() {
        return OpenSearchCall.send("read the cluster health", () -> client.cluster().health()).status().jsonValue();
    }
}
