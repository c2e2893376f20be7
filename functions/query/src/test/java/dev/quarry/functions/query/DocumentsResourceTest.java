package dev.quarry.functions.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.core.pipeline.Keys;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;
import dev.quarry.testsupport.InMemoryObjectStore;
import dev.quarry.testsupport.InMemoryStatusStore;
import dev.quarry.functions.query.fakes.RecordingUploadExpiry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static dev.quarry.functions.query.Corpus.TENANT_A;
import static dev.quarry.functions.query.Corpus.TENANT_B;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class DocumentsResourceTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private static final byte[] PDF = "%PDF-1.7 uploaded bytes".getBytes(StandardCharsets.US_ASCII);

    @Inject
    InMemoryStatusStore statuses;
    @Inject
    InMemoryObjectStore objects;
    @Inject
    RecordingUploadExpiry expiries;

    @BeforeEach
    void reset() {
        statuses.clear();
        objects.clear();
        expiries.clear();
    }

    @Test
    void creates_a_queued_document_with_a_presigned_put_url_for_its_key_under_the_callers_tenant() {
        LambdaEvent.Reply reply = LambdaEvent.from("create-document-tenant-a.json").send();

        assertThat(reply.status()).isEqualTo(201);
        JsonNode body = reply.json();
        String documentId = Keys.documentId(TENANT_A, "annual-report-2025.pdf");
        assertThat(body.path("documentId").asText()).isEqualTo(documentId).matches("[0-9a-f]{24}");
        assertThat(body.path("name").asText()).isEqualTo("annual-report-2025.pdf");
        assertThat(body.path("status").asText()).isEqualTo("QUEUED");
        assertThat(body.path("method").asText()).isEqualTo("PUT");
        assertThat(Instant.parse(body.path("expiresAt").asText())).isAfter(Instant.now());
        URI url = URI.create(body.path("uploadUrl").asText());
        assertThat(url.getScheme()).isEqualTo("https");
        assertThat(url.getHost() + url.getPath())
                .isIn("quarry-test.s3.eu-west-1.amazonaws.com/documents/tenant-a/annual-report-2025.pdf",
                        "s3.eu-west-1.amazonaws.com/quarry-test/documents/tenant-a/annual-report-2025.pdf");
        assertThat(url.getQuery()).contains("X-Amz-Signature=", "X-Amz-Credential=AKIDQUARRYTEST/", "X-Amz-Expires=900");
        assertThat(statuses.get(documentId)).hasValueSatisfying(r -> {
            assertThat(r.tenant()).isEqualTo(TENANT_A);
            assertThat(r.status()).isEqualTo(DocumentStatus.QUEUED);
            assertThat(r.key()).isEqualTo("documents/tenant-a/annual-report-2025.pdf");
        });
        assertThat(expiries.scheduled()).as("the look at it once its 15-minute URL has expired")
                .containsExactly(new RecordingUploadExpiry.Scheduled(documentId, Duration.ofMinutes(15)));
    }

    @Test
    void creating_a_document_that_exists_keeps_its_status() {
        statuses.put(Corpus.ready(TENANT_A, "annual-report-2025.pdf", T0));

        LambdaEvent.Reply reply = LambdaEvent.from("create-document-tenant-a.json").send();

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.json().path("status").asText()).isEqualTo("READY");
        assertThat(expiries.scheduled()).as("nothing to expire").isEmpty();
    }

    @Test
    void rejects_a_name_without_pdf_extension_naming_the_field() {
        QueryResourceTest.assertBadRequest(LambdaEvent.from("create-document-tenant-a.json")
                .body("{\"name\":\"annual-report-2025.docx\"}").send(), "name");
    }

    @Test
    void rejects_a_name_with_a_slash_or_none_at_all() {
        QueryResourceTest.assertBadRequest(LambdaEvent.from("create-document-tenant-a.json")
                .body("{\"name\":\"../tenant-b/report.pdf\"}").send(), "name");
        QueryResourceTest.assertBadRequest(LambdaEvent.from("create-document-tenant-a.json").body("{}").send(), "name");
        assertThat(statuses.list(TENANT_A, 0, 10)).isEmpty();
    }

    @Test
    void a_document_whose_upload_never_arrived_reads_failed_once_its_url_expired_and_a_new_post_revives_it() {
        String id = Keys.documentId(TENANT_A, "never-sent.pdf");
        Instant longAgo = Instant.now().minus(java.time.Duration.ofHours(1));
        statuses.put(DocumentRecord.queued(id, TENANT_A, "never-sent.pdf", Keys.document(TENANT_A, "never-sent.pdf"), longAgo));
        String fresh = Keys.documentId(TENANT_A, "just-created.pdf");
        statuses.put(DocumentRecord.queued(fresh, TENANT_A, "just-created.pdf", Keys.document(TENANT_A, "just-created.pdf"),
                Instant.now()));

        JsonNode expired = LambdaEvent.from("get-document-tenant-a.json").request("GET", "/v1/documents/" + id).send().json();
        JsonNode waiting = LambdaEvent.from("get-document-tenant-a.json").request("GET", "/v1/documents/" + fresh).send().json();

        assertThat(expired.path("status").asText()).isEqualTo("FAILED");
        assertThat(expired.path("errorCode").asText()).isEqualTo("UPLOAD_EXPIRED");
        assertThat(expired.path("reason").asText()).contains("POST /v1/documents");
        assertThat(waiting.path("status").asText()).isEqualTo("QUEUED");

        LambdaEvent.from("create-document-tenant-a.json").body("{\"name\":\"never-sent.pdf\"}").send();
        JsonNode revived = LambdaEvent.from("get-document-tenant-a.json").request("GET", "/v1/documents/" + id).send().json();
        assertThat(revived.path("status").asText()).isEqualTo("QUEUED");
    }

    @Test
    void shows_the_callers_document_with_its_progress() {
        DocumentRecord record = Corpus.ready(TENANT_A, "warranty.pdf", T0);
        statuses.put(record);

        LambdaEvent.Reply reply = LambdaEvent.from("get-document-tenant-a.json")
                .request("GET", "/v1/documents/" + record.documentId()).send();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("status").asText()).isEqualTo("READY");
        assertThat(reply.json().path("progress").path("percent").asInt()).isEqualTo(100);
        assertThat(reply.json().path("pages").asInt()).isEqualTo(12);
    }

    @Test
    void answers_404_for_an_unknown_document_id() {
        LambdaEvent.Reply reply = LambdaEvent.from("get-document-tenant-a.json").send();

        assertNotFound(reply);
    }

    @Test
    void answers_404_not_403_for_another_tenants_document_so_its_existence_does_not_leak() {
        DocumentRecord theirs = Corpus.ready(TENANT_B, "warranty.pdf", T0);
        statuses.put(theirs);
        objects.put(theirs.key(), PDF, "application/pdf");
        String unknown = "0123456789abcdef01234567";

        LambdaEvent.Reply get = LambdaEvent.from("get-document-tenant-a.json").request("GET", "/v1/documents/" + theirs.documentId()).send();
        LambdaEvent.Reply delete = LambdaEvent.from("get-document-tenant-a.json").request("DELETE", "/v1/documents/" + theirs.documentId()).send();
        LambdaEvent.Reply missing = LambdaEvent.from("get-document-tenant-a.json").request("GET", "/v1/documents/" + unknown).send();

        assertNotFound(get);
        assertNotFound(delete);
        assertThat(get.json().path("message").asText()).isEqualTo(missing.json().path("message").asText().replace(unknown, theirs.documentId()));
        assertThat(objects.contains(theirs.key())).as("their PDF is still there").isTrue();
        assertThat(statuses.get(theirs.documentId())).hasValue(theirs);
    }

    @Test
    void answers_404_for_an_id_that_cannot_be_a_document_id() {
        assertNotFound(LambdaEvent.from("get-document-tenant-a.json").request("GET", "/v1/documents/not-an-id").send());
    }

    @Test
    void deletes_the_callers_pdf_and_ends_a_document_whose_upload_was_never_processed_at_once() {
        LambdaEvent.from("create-document-tenant-a.json").send();
        String documentId = Keys.documentId(TENANT_A, "annual-report-2025.pdf");
        objects.put("documents/tenant-a/annual-report-2025.pdf", PDF, "application/pdf"); // landed, its event not yet handled

        LambdaEvent.Reply reply = LambdaEvent.from("get-document-tenant-a.json").request("DELETE", "/v1/documents/" + documentId).send();

        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.json().path("status").asText()).isEqualTo("DELETING");
        assertThat(objects.keys()).as("the PDF is deleted").isEmpty();
        assertThat(statuses.get(documentId)).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(DocumentStatus.DELETED));
        assertNotFound(LambdaEvent.from("get-document-tenant-a.json").request("DELETE", "/v1/documents/" + documentId).send());
    }

    @Test
    void lists_only_the_callers_documents_newest_first_and_pages_with_a_cursor() {
        statuses.put(Corpus.ready(TENANT_A, "old.pdf", T0));
        statuses.put(Corpus.ready(TENANT_A, "new.pdf", T0.plusSeconds(60)));
        statuses.put(Corpus.ready(TENANT_B, "theirs.pdf", T0.plusSeconds(120)));

        LambdaEvent.Reply first = LambdaEvent.from("list-documents-tenant-a.json").query("limit=1").send();
        LambdaEvent.Reply second = LambdaEvent.from("list-documents-tenant-a.json")
                .query("limit=1&cursor=" + first.json().path("nextCursor").asText()).send();

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("total").asLong()).isEqualTo(2);
        assertThat(first.json().path("documents")).singleElement().satisfies(d -> assertThat(d.path("name").asText()).isEqualTo("new.pdf"));
        assertThat(second.json().path("documents")).singleElement().satisfies(d -> assertThat(d.path("name").asText()).isEqualTo("old.pdf"));
        assertThat(second.json().path("nextCursor").isNull()).isTrue();
    }

    @Test
    void rejects_a_limit_out_of_range_or_a_cursor_that_is_not_one() {
        QueryResourceTest.assertBadRequest(LambdaEvent.from("list-documents-tenant-a.json").query("limit=0").send(), "limit");
        QueryResourceTest.assertBadRequest(LambdaEvent.from("list-documents-tenant-a.json").query("limit=101").send(), "limit");
        QueryResourceTest.assertBadRequest(LambdaEvent.from("list-documents-tenant-a.json").query("cursor=abc").send(), "cursor");
    }

    @Test
    void rejects_a_limit_that_is_not_a_number_naming_the_parameter() {
        QueryResourceTest.assertBadRequest(LambdaEvent.from("list-documents-tenant-a.json").query("limit=ten").send(), "limit");
    }

    @Test
    void rejects_a_cursor_past_the_search_backends_result_window_instead_of_failing() {
        QueryResourceTest.assertBadRequest(LambdaEvent.from("list-documents-tenant-a.json").query("limit=100&cursor=9950").send(), "cursor");
        QueryResourceTest.assertBadRequest(LambdaEvent.from("list-documents-tenant-a.json").query("limit=100&cursor=2147483647").send(),
                "cursor");
        assertThat(LambdaEvent.from("list-documents-tenant-a.json").query("limit=100&cursor=9900").send().status()).isEqualTo(200);
    }

    @Test
    void answers_401_for_every_document_route_without_a_tenant_claim() {
        for (String[] route : new String[][]{{"GET", "/v1/documents"}, {"POST", "/v1/documents"},
                {"GET", "/v1/documents/0123456789abcdef01234567"}, {"DELETE", "/v1/documents/0123456789abcdef01234567"}}) {
            LambdaEvent.Reply reply = LambdaEvent.from("create-document-tenant-a.json").request(route[0], route[1]).withoutTenantClaim().send();
            assertThat(reply.status()).as(route[0] + " " + route[1]).isEqualTo(401);
            assertThat(reply.json().path("error").asText()).isEqualTo("unauthorized");
        }
    }

    private static void assertNotFound(LambdaEvent.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(404);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(reply.json().path("error").asText()).isEqualTo("not_found");
    }
}
