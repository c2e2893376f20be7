package dev.quarry.functions.query.api;

import dev.quarry.config.QuarryConfig;
import dev.quarry.adapters.opensearch.OpenSearchClients;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.LinkedHashMap;
import java.util.Map;

@Path("/v1/health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {

    @Inject
    OpenSearchClients.Handle openSearch;
    @Inject
    QuarryConfig config;

    private static final Logger LOG = Logger.getLogger(HealthResource.class);

    /** The last look at the search backend and when it was taken: anonymous callers share it. */
    private record Check(String opensearch, boolean ok, long atNanos) {
    }

    private volatile Check last;

    @GET
    @Operation(summary = "Liveness and the state of the search backend; needs no authentication.")
    public Response health() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("embeddingModel", config.embedding().modelId());
        body.put("dimension", config.embedding().dimension());
        body.put("answerProvider", config.answer().provider().name().toLowerCase(java.util.Locale.ROOT));
        Check check = check();
        body.put("status", check.ok() ? "ok" : "degraded");
        body.put("opensearch", check.opensearch());
        return check.ok() ? Response.ok(body).build() : Response.status(503).entity(body).build();
    }

    /**
     * The cluster's state, asked at most once per quarry.health.check-interval: the endpoint is public, so
     * its callers must not be able to drive load to the domain. A failure is logged, never echoed: its
     * text can name hosts and addresses.
     */
    private Check check() {
        Check c = last;
        long now = System.nanoTime();
        if (c != null && now - c.atNanos() < config.health().checkInterval().toNanos()) {
            return c;
        }
        try {
            c = new Check(openSearch.client().cluster().health().status().jsonValue(), true, now);
        } catch (Exception e) {
            LOG.warnf("Health check: OpenSearch did not answer: %s", e.toString());
            c = new Check("unreachable", false, now);
        }
        last = c;
        return c;
    }
}
