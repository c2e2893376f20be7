package dev.quarry.functions.query.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.quarry.adapters.config.QuarryConfig;
import dev.quarry.core.pipeline.Keys;
import dev.quarry.core.port.ObjectStore;
import dev.quarry.core.port.StatusStore;
import dev.quarry.functions.query.service.PdfLinks;
import dev.quarry.functions.query.service.Tenants;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;
import dev.quarry.model.ErrorCode;
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
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

@Path("/v1/documents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DocumentsResource {
    private static final Duration UPLOAD_URL_TTL = Duration.ofMinutes(15);
    /** An upload started just before its URL expired may still be arriving. */
    private static final Duration UPLOAD_GRACE = Duration.ofMinutes(5);
    private static final int MAX_RESULT_WINDOW = 10_000;

    @Inject
    Tenants tenants;
    @Inject
    StatusStore statuses;
    @Inject
    ObjectStore objects;
    @Inject
    S3Presigner presigner;
    @Inject
    QuarryConfig config;
    @Inject
    Clock clock;
    @Inject
    PdfLinks pdfLinks;

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
        String key = Keys.document(tenant, name);
        String documentId = Keys.documentId(tenant, name);
        var presigned = presigner.presignPutObject(p -> p.signatureDuration(UPLOAD_URL_TTL)
                .putObjectRequest(o -> o.bucket(config.bucket()).key(key)));
        // A document whose upload never arrived gets a fresh record with the new URL; any other is left as it is.
        Optional<DocumentRecord> record = statuses.update(documentId, current -> current.isPresent()
                && current.get().status() != DocumentStatus.DELETED
                && !(current.get().status() == DocumentStatus.QUEUED && current.get().version() == null)
                ? Optional.empty()
                : Optional.of(DocumentRecord.queued(documentId, tenant, name, key, clock.instant())));
        return Response.status(201).entity(new Dtos.CreateDocumentResponse(documentId, name, presigned.url().toString(), "PUT",
                presigned.expiration(), record.map(r -> r.status().name()).orElse(DocumentStatus.QUEUED.name()))).build();
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
        if (from < 0 || from > MAX_RESULT_WINDOW - size) {
            throw ApiException.badRequest("cursor", "'cursor' must be the nextCursor of a previous page; listing reaches "
                    + MAX_RESULT_WINDOW + " documents at most.");
        }
        var docs = statuses.list(tenant, from, size).stream().map(this::view).toList();
        long total = statuses.count(tenant);
        String next = from + size < Math.min(total, MAX_RESULT_WINDOW) && docs.size() == size ? Integer.toString(from + size) : null;
        return new Dtos.DocumentList(docs, total, next);
    }

    @GET
    @Path("/{documentId}")
    @Operation(summary = "Status, progress, pages, chunks and error reason of one document.")
    public Dtos.DocumentView get(@PathParam("documentId") String documentId, @Context APIGatewayV2HTTPEvent event) {
        return view(owned(tenants.of(event), documentId));
    }

    @GET
    @Path("/{documentId}/pdf")
    @Operation(summary = "A presigned URL to GET the document's PDF, valid for 5 minutes (the console's page viewer).")
    public Dtos.PdfLink pdf(@PathParam("documentId") String documentId, @Context APIGatewayV2HTTPEvent event) {
        String tenant = tenants.of(event);
        Validation.documentId(documentId);
        return pdfLinks.link(tenant, documentId);
    }

    @DELETE
    @Path("/{documentId}")
    @Operation(summary = "Delete the PDF; its chunks, work files and progress are removed by the pipeline.")
    public Response delete(@PathParam("documentId") String documentId, @Context APIGatewayV2HTTPEvent event) {
        DocumentRecord record = owned(tenants.of(event), documentId);
        if (record.status() == DocumentStatus.DELETED) {
            throw ApiException.notFound("No document with id '" + documentId + "'.");
        }
        objects.delete(record.key());
        if (record.version() == null) {
            // Never uploaded: no S3 event will follow, so end it here.
            statuses.update(documentId, current -> current.map(r -> r.deleted(r.sequencer(), clock.instant())));
        }
        return Response.accepted(new Dtos.DeleteResponse(documentId, "DELETING")).build();
    }

    private DocumentRecord owned(String tenant, String documentId) {
        Validation.documentId(documentId);
        return statuses.get(documentId).filter(r -> tenant.equals(r.tenant()))
                .orElseThrow(() -> ApiException.notFound("No document with id '" + documentId + "'."));
    }

    /**
     * A document created through the API whose bytes never arrived is not left QUEUED forever: once its
     * upload URL has expired (plus a grace period for an upload in flight) it reads as FAILED with the
     * reason and what to do. Nothing is stored: the record turns QUEUED again if the upload comes after all.
     */
    Dtos.DocumentView view(DocumentRecord r) {
        if (r.status() == DocumentStatus.QUEUED && r.version() == null
                && r.updatedAt().plus(UPLOAD_URL_TTL).plus(UPLOAD_GRACE).isBefore(clock.instant())) {
            r = r.failed(ErrorCode.UPLOAD_EXPIRED, "No upload arrived before the upload URL expired ("
                    + r.updatedAt().plus(UPLOAD_URL_TTL) + "). Create the document again (POST /v1/documents) and PUT the PDF "
                    + "to the new URL.", r.updatedAt());
        }
        return render(r);
    }

    static Dtos.DocumentView render(DocumentRecord r) {
        int percent = r.status() == DocumentStatus.READY ? 100 : r.parts() == 0 ? 0 : (int) (100L * r.partsDone() / r.parts());
        return new Dtos.DocumentView(r.documentId(), r.name(), r.status().name(), new Dtos.Progress(r.partsDone(), r.parts(), percent),
                r.pages(), r.chunks(), r.errorCode() == null ? null : r.errorCode().name(), r.reason(), r.warnings(), r.title(),
                r.author(), r.sizeBytes(), r.createdAt(), r.updatedAt());
    }
}
