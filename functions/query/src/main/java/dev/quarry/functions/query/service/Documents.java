package dev.quarry.functions.query.service;

import dev.quarry.ai.cost.ModelPrices;
import dev.quarry.core.pipeline.DocumentLifecycle;
import dev.quarry.core.pipeline.Keys;
import dev.quarry.core.port.ModelUsage;
import dev.quarry.core.port.ObjectStore;
import dev.quarry.core.port.Failures;
import dev.quarry.core.port.StatusStore;
import dev.quarry.core.port.UploadExpiry;
import dev.quarry.functions.query.api.Dtos;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * A tenant's documents: create one with a presigned upload, list, read the status, delete, and read its
 * PDF for a few minutes. Another tenant's document, or a deleted one, does not exist for the caller (404).
 */
@ApplicationScoped
public class Documents {
    private static final Logger LOG = Logger.getLogger(Documents.class);
    static final Duration UPLOAD_URL_TTL = DocumentLifecycle.UPLOAD_URL_TTL;
    private static final Duration UPLOAD_GRACE = DocumentLifecycle.UPLOAD_GRACE;
    /** The console's viewer fetches the PDF at once; no PDF passes through the function (6 MB response limit). */
    static final Duration PDF_URL_TTL = Duration.ofMinutes(5);
    public static final int MAX_RESULT_WINDOW = 10_000;

    @Inject
    StatusStore statuses;
    @Inject
    DocumentLifecycle lifecycle;
    @Inject
    ObjectStore objects;
    @Inject
    PresignedUrls urls;
    @Inject
    ModelPrices prices;
    @Inject
    UploadExpiry expiry;

    public Dtos.CreateDocumentResponse create(String tenant, String name) {
        String key = Keys.document(tenant, name);
        String documentId = Keys.documentId(tenant, name);
        PresignedUrls.Presigned upload = urls.upload(key, UPLOAD_URL_TTL);
        DocumentRecord record = lifecycle.created(Keys.parseDocument(key), key);
        if (record.status() == DocumentStatus.QUEUED && record.version() == null) {
            scheduleExpiry(documentId);
        }
        return new Dtos.CreateDocumentResponse(documentId, name, upload.url(), "PUT", upload.expiresAt(), record.status().name());
    }

    /**
     * Asks the index stage to end the record FAILED UPLOAD_EXPIRED if no bytes came before the URL expired. Sending may
     * fail without failing the request: the API reads such a record as expired anyway (DocumentLifecycle.asRead).
     */
    private void scheduleExpiry(String documentId) {
        try {
            expiry.schedule(documentId, UPLOAD_URL_TTL);
        } catch (RuntimeException e) {
            LOG.warnf("Could not schedule the upload expiry of %s (%s); it reads as expired once its URL has", documentId,
                    Failures.summary(e));
        }
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
            throw notFound(documentId);
        }
        objects.delete(record.key());
        lifecycle.deletedBeforeUpload(documentId);
        return new Dtos.DeleteResponse(documentId, "DELETING");
    }

    public Dtos.PdfLink pdf(String tenant, String documentId) {
        DocumentRecord record = owned(tenant, documentId);
        if (record.status() == DocumentStatus.DELETED) {
            throw notFound(documentId);
        }
        if (record.version() == null) {
            throw new Refusal.NotUploaded("The PDF of document '" + documentId + "' has not arrived yet: PUT it to the upload URL first.");
        }
        PresignedUrls.Presigned download = urls.download(record.key(), PDF_URL_TTL, "application/pdf");
        return new Dtos.PdfLink(documentId, record.name(), download.url(), "GET", download.expiresAt());
    }

    private DocumentRecord owned(String tenant, String documentId) {
        return statuses.get(documentId).filter(r -> tenant.equals(r.tenant()))
                .orElseThrow(() -> notFound(documentId));
    }

    private static Refusal.NotFound notFound(String documentId) {
        return new Refusal.NotFound("No document with id '" + documentId + "'.");
    }

    /** A document whose bytes never arrived reads FAILED UPLOAD_EXPIRED once its URL has expired (DocumentLifecycle). */
    private Dtos.DocumentView view(DocumentRecord r) {
        return render(lifecycle.asRead(r, UPLOAD_URL_TTL, UPLOAD_GRACE));
    }

    Dtos.DocumentView render(DocumentRecord r) {
        int percent = r.status() == DocumentStatus.READY ? 100 : r.parts() == 0 ? 0 : (int) (100L * r.partsDone() / r.parts());
        return new Dtos.DocumentView(r.documentId(), r.name(), r.status().name(), new Dtos.Progress(r.partsDone(), r.parts(), percent),
                r.pages(), r.chunks(), r.errorCode() == null ? null : r.errorCode().name(), r.reason(), r.warnings(), r.title(),
                r.author(), r.sizeBytes(), r.createdAt(), r.updatedAt(),
                r.status() == DocumentStatus.READY ? prices.cost(new ModelUsage.Tokens(r.embeddingTokens(), 0, 0)) : null);
    }
}
