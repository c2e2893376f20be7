package dev.quarry.functions.query;

import dev.quarry.model.DocumentRecord;
import dev.quarry.testsupport.InMemoryStatusStore;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import static dev.quarry.functions.query.Corpus.TENANT_A;
import static dev.quarry.functions.query.Corpus.TENANT_B;
import static org.assertj.core.api.Assertions.assertThat;

/** GET /v1/documents/{id}/pdf: a short-lived presigned GET of the caller's own PDF, for the console's viewer. */
@QuarkusTest
class DocumentPdfTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @Inject
    InMemoryStatusStore statuses;

    @BeforeEach
    void reset() {
        statuses.clear();
    }

    private static LambdaEvent.Reply pdfOf(String documentId) {
        return LambdaEvent.from("get-document-tenant-a.json").request("GET", "/v1/documents/" + documentId + "/pdf").send();
    }

    @Test
    void gives_a_five_minute_presigned_get_of_the_callers_own_pdf() {
        DocumentRecord mine = Corpus.ready(TENANT_A, "warranty.pdf", T0);
        statuses.put(mine);

        LambdaEvent.Reply reply = pdfOf(mine.documentId());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("documentId").asText()).isEqualTo(mine.documentId());
        assertThat(reply.json().path("name").asText()).isEqualTo("warranty.pdf");
        assertThat(reply.json().path("method").asText()).isEqualTo("GET");
        Instant expires = Instant.parse(reply.json().path("expiresAt").asText());
        assertThat(expires).isBetween(Instant.now().plus(Duration.ofMinutes(4)), Instant.now().plus(Duration.ofMinutes(6)));
        URI url = URI.create(reply.json().path("url").asText());
        assertThat(url.getHost() + url.getPath()).isIn("quarry-test.s3.eu-west-1.amazonaws.com/documents/tenant-a/warranty.pdf",
                "s3.eu-west-1.amazonaws.com/quarry-test/documents/tenant-a/warranty.pdf");
        assertThat(url.getQuery()).contains("X-Amz-Expires=300", "X-Amz-Signature=", "response-content-type=application/pdf");
    }

    @Test
    void another_tenants_document_is_a_404_like_a_missing_one() {
        DocumentRecord theirs = Corpus.ready(TENANT_B, "warranty.pdf", T0);
        statuses.put(theirs);
        String unknown = "0123456789abcdef01234567";

        LambdaEvent.Reply reply = pdfOf(theirs.documentId());
        LambdaEvent.Reply missing = pdfOf(unknown);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.body()).doesNotContain("http", "X-Amz");
        assertThat(reply.json().path("message").asText())
                .isEqualTo(missing.json().path("message").asText().replace(unknown, theirs.documentId()));
    }

    @Test
    void a_deleted_document_is_a_404() {
        DocumentRecord deleted = Corpus.ready(TENANT_A, "gone.pdf", T0).deleted("seq-2", T0.plusSeconds(5));
        statuses.put(deleted);

        assertThat(pdfOf(deleted.documentId()).status()).isEqualTo(404);
    }

    @Test
    void a_document_whose_bytes_never_arrived_says_so() {
        DocumentRecord waiting = DocumentRecord.queued(dev.quarry.core.pipeline.Keys.documentId(TENANT_A, "later.pdf"), TENANT_A,
                "later.pdf", dev.quarry.core.pipeline.Keys.document(TENANT_A, "later.pdf"), T0);
        statuses.put(waiting);

        LambdaEvent.Reply reply = pdfOf(waiting.documentId());

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.json().path("error").asText()).isEqualTo("not_uploaded");
    }

    @Test
    void needs_an_authenticated_tenant() {
        DocumentRecord mine = Corpus.ready(TENANT_A, "warranty.pdf", T0);
        statuses.put(mine);

        LambdaEvent.Reply reply = LambdaEvent.from("get-document-tenant-a.json").withoutTenantClaim()
                .request("GET", "/v1/documents/" + mine.documentId() + "/pdf").send();

        assertThat(reply.status()).isEqualTo(401);
    }
}
