package dev.quarry.core.port;

/** The state of the search backend, as its own health check reports it. */
public interface SearchBackendHealth {

    /**
     * The backend's own word for its state ({@code green}, {@code yellow} or {@code red} for OpenSearch); throws
     * when the backend does not answer.
     */
    String status();
}
