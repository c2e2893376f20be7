package dev.quarry.functions.query.api;

import dev.quarry.adapters.config.QuarryConfig;
import dev.quarry.adapters.opensearch.OpenSearchClients;
import jakarta.inject.Inject;
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

    @GET
    @Operation(summary = "Liveness and the state of the search backend; needs no authentication.")
    public Response health() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("embeddingModel", config.embedding().modelId());
        body.put("dimension", config.embedding().dimension());
        body.put("answerProvider", config.answer().provider());
        try {
            String cluster = openSearch.client().cluster().health().status().jsonValue();
            body.put("status", "ok");
            body.put("opensearch", cluster);
            return Response.ok(body).build();
        } catch (Exception e) {
            body.put("status", "degraded");
            body.put("opensearch", "unreachable: " + e.getMessage());
            return Response.status(503).entity(body).build();
        }
    }
}
