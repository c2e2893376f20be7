package dev.quarry.functions.query.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.quarry.functions.query.service.Documents;
import dev.quarry.functions.query.service.Tenants;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** HTTP in, {@link Documents} call, HTTP out: the request is checked here, the work is the service's. */
@Path("/v1/documents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DocumentsResource {

    @Inject
    Tenants tenants;
    @Inject
    Documents documents;

    @POST
    @Operation(summary = "Create a document and get a presigned URL to PUT its PDF bytes to; the upload starts ingestion.")
    public Response create(Dtos.CreateDocumentRequest request, @Context APIGatewayV2HTTPEvent event) {
        String tenant = tenants.of(event);
        if (request == null) {
            throw ApiException.badRequest("name", "Send a JSON body like {\"name\": \"report.pdf\"}.");
        }
        String name = Validation.text(request.name(), "name");
        if (name.length() > 200 || name.contains("/") || name.contains("\\") || name.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("name", "'name' must be a file name of at most 200 characters, without slashes or control characters.");
        }
        if (!name.toLowerCase().endsWith(".pdf")) {
            throw ApiException.badRequest("name", "'name' must end with .pdf; only PDF documents are ingested.");
        }
        return Response.status(201).entity(documents.create(tenant, name)).build();
    }

    @GET
    @Operation(summary = "List the tenant's documents, newest first; page with limit and cursor.")
    public Dtos.DocumentList list(
            @QueryParam("limit") @Parameter(description = "Page size, 1 to 100; default 20.",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100")) String limit,
            @QueryParam("cursor") String cursor, @Context APIGatewayV2HTTPEvent event) {
        String tenant = tenants.of(event);
        int size = Validation.limit(limit, 20, 100);
        int from;
        try {
            from = cursor == null || cursor.isBlank() ? 0 : Integer.parseInt(cursor);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("cursor", "'cursor' must be the nextCursor of a previous page.");
        }
        // OpenSearch refuses from + size past index.max_result_window (10,000): a 400 there would reach the client as a 503.
        if (from < 0 || from > Documents.MAX_RESULT_WINDOW - size) {
            throw ApiException.badRequest("cursor", "'cursor' must be the nextCursor of a previous page; listing reaches "
                    + Documents.MAX_RESULT_WINDOW + " documents at most.");
        }
        return documents.list(tenant, from, size);
    }

    @GET
    @Path("/{documentId}")
    @Operation(summary = "Status, progress, pages, chunks and error reason of one document.")
    public Dtos.DocumentView get(@PathParam("documentId") String documentId, @Context APIGatewayV2HTTPEvent event) {
        String tenant = tenants.of(event);
        return documents.get(tenant, Validation.documentId(documentId));
    }

    @GET
    @Path("/{documentId}/pdf")
    @Operation(summary = "A presigned URL to GET the document's PDF, valid for 5 minutes (the console's page viewer).")
    public Dtos.PdfLink pdf(@PathParam("documentId") String documentId, @Context APIGatewayV2HTTPEvent event) {
        String tenant = tenants.of(event);
        return documents.pdf(tenant, Validation.documentId(documentId));
    }

    @DELETE
    @Path("/{documentId}")
    @Operation(summary = "Delete the PDF; its chunks, work files and progress are removed by the pipeline.")
    public Response delete(@PathParam("documentId") String documentId, @Context APIGatewayV2HTTPEvent event) {
        String tenant = tenants.of(event);
        return Response.accepted(documents.delete(tenant, Validation.documentId(documentId))).build();
    }
}
