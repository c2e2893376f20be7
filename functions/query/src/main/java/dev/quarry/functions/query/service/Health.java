package dev.quarry.functions.query.service;

import dev.quarry.config.QuarryConfig;
import dev.quarry.core.port.SearchBackendHealth;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Locale;

/** Liveness: the models this deployment runs and the state of the search backend. */
@ApplicationScoped
public class Health {
    private static final Logger LOG = Logger.getLogger(Health.class);

    @Inject
    SearchBackendHealth backend;
    @Inject
    QuarryConfig config;

    /** What the health endpoint reports; {@code ok} is false when the search backend does not answer. */
    public record Report(String embeddingModel, int dimension, String answerProvider, String status, String opensearch) {
        public boolean ok() {
            return "ok".equals(status);
        }
    }

    /** The last look at the search backend and when it was taken: anonymous callers share it. */
    private record Check(String backend, boolean ok, long atNanos) {
    }

    private volatile Check last;

    public Report report() {
        Check check = check();
        return new Report(config.embedding().modelId(), config.embedding().dimension(),
                config.answer().provider().name().toLowerCase(Locale.ROOT), check.ok() ? "ok" : "degraded", check.backend());
    }

    /**
     * The backend's state, asked at most once per quarry.health.check-interval: the endpoint is public, so
     * its callers must not be able to drive load to the domain. Any failure counts as unreachable and is
     * logged, never echoed: its text can name hosts and addresses.
     */
    private Check check() {
        Check c = last;
        long now = System.nanoTime();
        if (c != null && now - c.atNanos() < config.health().checkInterval().toNanos()) {
            return c;
        }
        try {
            c = new Check(backend.status(), true, now);
        } catch (RuntimeException e) {
            LOG.warnf("Health check: OpenSearch did not answer: %s", e.toString());
            c = new Check("unreachable", false, now);
        }
        last = c;
        return c;
    }
}
