package dev.quarry.testsupport;

import dev.quarry.core.port.SearchBackendHealth;

/** A search backend whose state the test sets: green until told otherwise, or not answering at all. */
public final class FakeSearchBackendHealth implements SearchBackendHealth {
    private volatile String status = "green";
    private volatile boolean unreachable;

    @Override
    public String status() {
        if (unreachable) {
            throw new java.io.UncheckedIOException(new java.net.ConnectException("Connection refused: search backend at 127.0.0.1:9200"));
        }
        return status;
    }

    /** The state the backend reports: green, yellow or red. */
    public void status(String status) {
        this.status = status;
    }

    /** The backend stops answering, as a domain without a reachable node does. */
    public void unreachable() {
        unreachable = true;
    }

    /** Green and answering again. */
    public void reset() {
        status = "green";
        unreachable = false;
    }
}
