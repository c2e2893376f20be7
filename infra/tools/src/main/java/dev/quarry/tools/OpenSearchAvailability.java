package dev.quarry.tools;

import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.HealthStatus;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rides out OpenSearch restarts during a long run: a call that fails while OpenSearch is unreachable
 * or the index is still recovering is retried until it is back (up to a bound); a call that fails
 * while all is well is a real error and is thrown at once.
 */
final class OpenSearchAvailability {
    private static final Duration PATIENCE = Duration.ofMinutes(10);
    private static final long PAUSE_MILLIS = 5_000;

    /** Calls that had to wait, so callers can drop a latency sample that includes the wait. */
    static final AtomicLong WAITS = new AtomicLong();

    private final OpenSearchClient client;
    private final String index;

    OpenSearchAvailability(OpenSearchClient client, String index) {
        this.client = client;
        this.index = index;
    }

    @FunctionalInterface
    interface Call<T> {
        T run() throws IOException;
    }

    <T> T call(String what, Call<T> call) throws IOException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        boolean told = false;
        while (true) {
            try {
                return call.run();
            } catch (IOException | RuntimeException e) {
                if (!connectionFailure(e) && healthy()) {
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    throw new Tools.ToolException("OpenSearch stayed unavailable for " + PATIENCE.toMinutes() + " minutes while trying to "
                            + what + ": " + e.getMessage(), e);
                }
                if (!told) {
                    System.out.println("  OpenSearch is unavailable (" + e.getMessage() + "); waiting for it to come back to " + what + " ...");
                    told = true;
                }
                WAITS.incrementAndGet();
                pause();
            }
        }
    }

    void run(String what, Runnable action) throws IOException {
        call(what, () -> {
            action.run();
            return null;
        });
    }

    private boolean healthy() {
        try {
            var health = client.cluster().health(h -> h.index(index).waitForStatus(HealthStatus.Yellow).timeout(t -> t.time("2s")));
            return !health.timedOut() && health.status() != HealthStatus.Red;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static boolean connectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof dev.quarry.core.port.RetryableException) {
                return true;
            }
        }
        return false;
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Tools.ToolException("Interrupted while waiting for OpenSearch");
        }
    }
}
