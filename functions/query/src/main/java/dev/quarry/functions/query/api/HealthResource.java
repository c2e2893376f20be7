package dev.quarry.functions.query.api;

import dev.quarry.functions.query.service.Health;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/v1/health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {

    @Inject
    Health health;

    @GET
    @Operation(summary = "Liveness and the state of the search backend; needs no authentication.")
    @APIResponse(responseCode = "200", description = "Up, the search backend answers.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Health.Report.class)))
    @APIResponse(responseCode = "503", description = "Degraded: the search backend does not answer.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Health.Report.class)))
    public Response health() {
        Health.Report report = health.report();
        return Response.status(report.ok() ? 200 : 503).entity(report).build();
    }
}
