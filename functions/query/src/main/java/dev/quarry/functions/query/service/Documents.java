package dev.quarry.functions.query.service;

import dev.quarry.ai.cost.ModelPrices;
import dev.quarry.core.pipeline.Keys;
import dev.quarry.core.port.ModelUsage;
import dev.quarry.core.port.ObjectStore;
import dev.quarry.core.port.StatusStore;
import dev.quarry.functions.query.api.ApiException;
import dev.quarry.functions.query.api.Dtos;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;
import dev.quarry.model.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * A tenant's documents: create one with a presigned upload, list, read the status, delete, and read its
 * PDF for a few minutes. Another tenant's document, or a deleted one, does not exist for the caller (404).
 */
@ApplicationScoped
public class Documents {
    static final Duration UPLOAD_URL_TTL = Duration.ofMinutes(15);
    /** An upload started just before its URL expired may still be arriving. */
    private static final Duration UPLOAD_GRACE = Duration.ofMinutes(5);
    /** The console's viewer fetches the PDF at once; no PDF passes through the function (6 MB response limit). */
    static final Duration PDF_URL_TTL = Duration.ofMinutes(5);
    public static final int MAX_RESULT_WINDOW = 10_000;

    @Inject
    StatusStore statuses;
    @Inject
    ObjectStore objects;
    @Inject
    PresignedUrls urls;
    @Inject
    Clock clock;
    @Inject
    ModelPrices prices;

    public Dtos.CreateDocumentResponse create(String tenant, String name) {
        String key = Keys.document(tenant, name);
        String documentId = Keys.documentId(tenant, name);
        PresignedUrls.Presigned upload = urls.upload(key, UPLOAD_URL_TTL);
        // A document whose upload never arrived gets a fresh record with the new URL; any other is left as it is.
        Optional<DocumentRecord> record = statuses.update(documentId, current -> current.isPresent()
                && current.get().status() != DocumentStatus.DELETED
                && !(current.get().status() == DocumentStatus.QUEUED && current.get().version() == null)
                ? Optional.empty()
                : Optional.of(DocumentRecord.queued(documentId, tenant, name, key, clock.instant())));
        return new Dtos.CreateDocumentResponse(documentId, name, upload.url(), "PUT", upload.expiresAt(),
                record.map(r -> r.status().name()).orElse(DocumentStatus.QUEUED.name()));
    }

    public Dtos.DocumentList list(String tenant, int from, int size) {
        var docs = statuses.list(tenant, from, size).stream().map(this::view).toList();
        long total = statuses.count(tenant);
        String next = from + size < Math.min(total, MAX_RESULT_WINDOW) && docs.size() == size ? Integer.toString(from + size) : null;
        return new Dtos.DocumentList(docs, total, next);
    }

    public Dtos.DocumentView get(String tenant, String documentId) {
        return view(owned(tenant, documentId));
    }

    public Dtos.DeleteResponse delete(String tenant, String documentId) {
        DocumentRecord record = owned(tenant, documentId);
        if (record.status() == DocumentStatus.DELETED) {
            throw ApiException.notFound("No document with id '" + documentId + "'.");
        }
        objects.delete(record.key());
        if (record.version() == null) {
            // Never uploaded: no S3 event will follow, so end it here.
            statuses.update(documentId, current -> current.map(r -> r.deleted(r.sequencer(), clock.instant())));
        }
        return new Dtos.DeleteResponse(documentId, "DELETING");
    }

    public Dtos.PdfLink pdf(String tenant, String documentId) {
        DocumentRecord record = owned(tenant, documentId);
        if (record.status() == DocumentStatus.DELETED) {
            throw ApiException.notFound("No document with id '" + documentId + "'.");
        }
        if (record.version() == null) {
            throw new ApiException(409, "not_uploaded", null, "The PDF of document '" + documentId
                    + "' has not arrived yet: PUT it to the upload URL first.");
        }
        PresignedUrls.Presigned download = urls.download(record.key(), PDF_URL_TTL, "application/pdf");
        return new Dtos.PdfLink(documentId, record.name(), download.url(), "GET", download.expiresAt());
    }

    private DocumentRecord owned(String tenant, String documentId) {
        return statuses.get(documentId).filter(r -> tenant.equals(r.tenant()))
                .orElseThrow(() -> ApiException.notFound("No document with id '" + documentId + "'."));
    }

    /**
     * A document created through the API whose bytes never arrived is not left QUEUED forever: once its
     * upload URL has expired (plus a grace period for an upload in flight) it reads as FAILED with the
     * reason and what to do. Nothing is stored: the record turns QUEUED again if the upload comes after all.
     */
    private Dtos.DocumentView view(DocumentRecord r) {
        if (r.status() == DocumentStatus.QUEUED && r.version() == null
                && r.updatedAt().plus(UPLOAD_URL_TTL).plus(UPLOAD_GRACE).isBefore(clock.instant())) {
            r = r.failed(ErrorCode.UPLOAD_EXPIRED, "No upload arrived before the upload URL expired ("
                    + r.updatedAt().plus(UPLOAD_URL_TTL) + "). Create the document again (POST /v1/documents) and PUT the PDF "
                    + "to the new URL.", r.updatedAt());
        }
        return render(r);
    }

    Dtos.DocumentView render(DocumentRecord r) {
        int percent = r.status() == DocumentStatus.READY ? 100 : r.parts() == 0 ? 0 : (int) (100L * r.partsDone() / r.parts());
        return new Dtos.DocumentView(r.documentId(), r.name(), r.status().name(), new Dtos.Progress(r.partsDone(), r.parts(), percent),
                r.pages(), r.chunks(), r.errorCode() == null ? null : r.errorCode().name(), r.reason(), r.warnings(), r.title(),
                r.author(), r.sizeBytes(), r.createdAt(), r.updatedAt(),
                r.status() == DocumentStatus.READY ? prices.cost(new ModelUsage.Tokens(r.embeddingTokens(), 0, 0)) : null);
    }
}
