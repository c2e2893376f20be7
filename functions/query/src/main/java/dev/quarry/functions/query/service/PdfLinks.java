package dev.quarry.functions.query.service;

import dev.quarry.adapters.config.QuarryConfig;
import dev.quarry.core.port.StatusStore;
import dev.quarry.functions.query.api.ApiException;
import dev.quarry.functions.query.api.Dtos;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.time.Duration;

/**
 * Lets the caller read one of its own documents' PDF for a few minutes: the console's viewer fetches
 * the bytes straight from S3 with this URL, so no PDF passes through the function (6 MB response limit).
 * Another tenant's document, or one that is deleted, does not exist for the caller (404).
 */
@ApplicationScoped
public class PdfLinks {
    static final Duration TTL = Duration.ofMinutes(5);

    @Inject
    StatusStore statuses;
    @Inject
    S3Presigner presigner;
    @Inject
    QuarryConfig config;

    public Dtos.PdfLink link(String tenant, String documentId) {
        DocumentRecord record = statuses.get(documentId)
                .filter(r -> tenant.equals(r.tenant()) && r.status() != DocumentStatus.DELETED)
                .orElseThrow(() -> ApiException.notFound("No document with id '" + documentId + "'."));
        if (record.version() == null) {
            throw new ApiException(409, "not_uploaded", null, "The PDF of document '" + documentId
                    + "' has not arrived yet: PUT it to the upload URL first.");
        }
        var presigned = presigner.presignGetObject(p -> p.signatureDuration(TTL)
                .getObjectRequest(g -> g.bucket(config.bucket()).key(record.key()).responseContentType("application/pdf")));
        return new Dtos.PdfLink(documentId, record.name(), presigned.url().toString(), "GET", presigned.expiration());
    }
}
