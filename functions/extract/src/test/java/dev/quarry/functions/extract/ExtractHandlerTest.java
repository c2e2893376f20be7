package dev.quarry.functions.extract;

import dev.quarry.core.pipeline.Keys;
import dev.quarry.core.pipeline.WorkFiles;
import dev.quarry.core.port.RetryableException;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;
import dev.quarry.model.ErrorCode;
import dev.quarry.model.PageText;
import dev.quarry.testsupport.InMemoryObjectStore;
import dev.quarry.testsupport.InMemoryStatusStore;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The extract function end to end inside Quarkus: SQS events from src/test/resources/events are
 * posted to the mock Lambda event server, the real ExtractService and PDFBox do the work, and the
 * bucket and status index are in-memory fakes.
 */
@QuarkusTest
class ExtractHandlerTest {
    private static final String MANUAL_KEY = "documents/acme/manual.pdf";
    private static final String MANUAL_ID = Keys.documentId("acme", "manual.pdf");
    /** The MD5 of the xspace PDF: the eTag S3 gives it, and the one the event fixtures carry. */
    private static final String MANUAL_ETAG = "1a2c3969e81ebb8c6e4a59bf5db214f4";
    private static final String NOTES_KEY = "documents/acme/notes.pdf";

    @Inject
    InMemoryObjectStore store;

    @Inject
    InMemoryStatusStore statuses;

    @BeforeEach
    void emptyBucketAndStatuses() {
        store.clear();
        statuses.clear();
    }

    @Test
    void upload_of_a_six_page_pdf_is_planned_as_one_range_task_and_marked_extracting() {
        uploadManual();

        List<String> failed = invoke("upload-manual.json");

        assertThat(failed).isEmpty();
        DocumentRecord record = statuses.get(MANUAL_ID).orElseThrow();
        assertThat(record.status()).isEqualTo(DocumentStatus.EXTRACTING);
        assertThat(record.tenant()).isEqualTo("acme");
        assertThat(record.name()).isEqualTo("manual.pdf");
        assertThat(record.key()).isEqualTo(MANUAL_KEY);
        assertThat(record.version()).isEqualTo(MANUAL_ETAG);
        assertThat(record.sequencer()).isEqualTo("0066A0B1C2D3E4F501");
        assertThat(record.sizeBytes()).isEqualTo(257_018);
        assertThat(record.pages()).isEqualTo(6);
        assertThat(record.parts()).isEqualTo(1);
        assertThat(record.title()).isEqualTo("The xspace package");
        String rangeKey = "work/ranges/acme/" + MANUAL_ID + "/" + MANUAL_ETAG + "/part-00000.json";
        assertThat(store.list("work/")).containsExactly(rangeKey);
        assertThat(WorkFiles.read(store, rangeKey, WorkFiles.RangeTask.class)).isEqualTo(new WorkFiles.RangeTask(
                new WorkFiles.PartRef("acme", MANUAL_ID, "manual.pdf", MANUAL_KEY, MANUAL_ETAG, 0, 1), 1, 6, 6,
                // the document's context travels with every part: its metadata title, then the file name
                new dev.quarry.model.DocumentContext("The xspace package (manual)", null, null)));
    }

    @Test
    void replaying_an_upload_event_keeps_the_plan_and_writes_the_same_range_task() {
        uploadManual();
        invoke("upload-manual.json");
        DocumentRecord first = statuses.get(MANUAL_ID).orElseThrow();
        byte[] firstTask = store.get(store.list("work/ranges/").get(0));

        List<String> failed = invoke("upload-manual.json");

        assertThat(failed).isEmpty();
        assertThat(statuses.get(MANUAL_ID).orElseThrow()).usingRecursiveComparison().ignoringFields("updatedAt").isEqualTo(first);
        assertThat(store.list("work/")).hasSize(1);
        assertThat(store.get(store.list("work/ranges/").get(0))).isEqualTo(firstTask);
    }

    @Test
    void a_range_task_whose_write_failed_after_the_plan_was_recorded_is_written_by_the_next_try() {
        uploadManual();
        // The plan is recorded, then S3 answers the range task's PUT with a 503: the retry sees the plan in place.
        store.failNextPut("work/ranges/", new RetryableException("S3 answered 503 Slow Down"));

        List<String> failed = invoke("upload-manual.json");

        assertThat(failed).isEmpty();
        assertThat(store.list("work/ranges/")).as("the range task, without which the version never completes")
                .containsExactly("work/ranges/acme/" + MANUAL_ID + "/" + MANUAL_ETAG + "/part-00000.json");
        assertThat(statuses.get(MANUAL_ID).orElseThrow().status()).isEqualTo(DocumentStatus.EXTRACTING);
    }

    @Test
    void range_task_becomes_an_extracted_part_with_the_text_of_each_of_its_pages() {
        uploadManual();
        statuses.put(DocumentRecord.queued(MANUAL_ID, "acme", "manual.pdf", MANUAL_KEY, Instant.parse("2025-01-01T00:00:00Z"))
                .newVersion(MANUAL_ETAG, "0066A0B1C2D3E4F501", 257_018, Instant.parse("2025-01-01T00:00:01Z"))
                .planned(6, 1, "The xspace package", null, Instant.parse("2025-01-01T00:00:02Z")));
        WorkFiles.PartRef ref = new WorkFiles.PartRef("acme", MANUAL_ID, "manual.pdf", MANUAL_KEY, MANUAL_ETAG, 0, 1);
        WorkFiles.write(store, Keys.work(Keys.RANGES, "acme", MANUAL_ID, MANUAL_ETAG, 0), new WorkFiles.RangeTask(ref, 1, 6, 6));

        List<String> failed = invoke("range-task-manual.json");

        assertThat(failed).isEmpty();
        String extractedKey = "work/extracted/acme/" + MANUAL_ID + "/" + MANUAL_ETAG + "/part-00000.json";
        WorkFiles.ExtractedPart part = WorkFiles.read(store, extractedKey, WorkFiles.ExtractedPart.class);
        assertThat(part.ref()).isEqualTo(ref);
        assertThat(part.pages()).extracting(PageText::page).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(part.pages().get(0).text()).contains("Great Britain is a very nice place to live.");
        assertThat(part.pages().get(1).text()).contains("1.1 Adding new exceptions")
                .contains("\\xspaceaddexceptions{\\footnoteA \\footnoteB}");
        assertThat(statuses.get(MANUAL_ID).orElseThrow().status()).isEqualTo(DocumentStatus.EXTRACTING);
    }

    @Test
    void upload_that_is_not_a_pdf_ends_failed_with_its_reason_and_is_not_retried() {
        String eTag = store.putObject(NOTES_KEY, resource("pdfs/not-a-pdf.pdf"), "application/pdf");
        assertThat(eTag).as("eTag carried by events/upload-not-a-pdf.json").isEqualTo("e53d6c7ff3999890a6eea71663f8eeb7");

        List<String> failed = invoke("upload-not-a-pdf.json");

        assertThat(failed).as("a bad document is a status, not a retry").isEmpty();
        DocumentRecord record = statuses.get(Keys.documentId("acme", "notes.pdf")).orElseThrow();
        assertThat(record.status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(record.errorCode()).isEqualTo(ErrorCode.NOT_A_PDF);
        assertThat(record.reason()).isEqualTo("The file is not a PDF (no %PDF- header in its first 1024 bytes).");
        assertThat(store.list("work/")).isEmpty();
    }

    @Test
    void malformed_message_is_reported_alone_while_the_rest_of_its_batch_is_processed() {
        uploadManual();

        List<String> failed = invoke("batch-poison-then-upload.json");

        assertThat(failed).containsExactly("6f1c2a4e-0004-4d3a-9a51-poison000004");
        assertThat(statuses.get(MANUAL_ID).orElseThrow().status()).isEqualTo(DocumentStatus.EXTRACTING);
        assertThat(store.list("work/ranges/")).hasSize(1);
    }

    @Test
    void upload_event_for_a_pdf_replaced_since_writes_no_range_task_and_is_not_retried() {
        store.put(MANUAL_KEY, "%PDF-1.7 a newer upload".getBytes(StandardCharsets.UTF_8), "application/pdf");

        List<String> failed = invoke("upload-manual.json");

        assertThat(failed).isEmpty();
        assertThat(store.list("work/")).isEmpty();
    }

    @Test
    void the_same_bytes_uploaded_again_after_a_delete_are_planned_again_while_the_old_event_replayed_is_not() {
        uploadManual();
        invoke("upload-manual.json");
        statuses.update(MANUAL_ID, r -> r.map(x -> x.deleted("0066A0B1C2D3E4F502", Instant.parse("2025-01-01T00:01:00Z"))));
        store.clear(); // the delete took the work files with it
        uploadManual();

        assertThat(invoke("upload-manual.json")).as("the first upload's event, replayed").isEmpty();
        assertThat(statuses.get(MANUAL_ID).orElseThrow().status()).isEqualTo(DocumentStatus.DELETED);
        assertThat(store.list("work/")).isEmpty();

        List<String> failed = invokeBody(fixture("upload-manual.json").replace("0066A0B1C2D3E4F501", "0066A0B1C2D3E4F503"));

        assertThat(failed).isEmpty();
        DocumentRecord record = statuses.get(MANUAL_ID).orElseThrow();
        assertThat(record.status()).isEqualTo(DocumentStatus.EXTRACTING);
        assertThat(record.sequencer()).isEqualTo("0066A0B1C2D3E4F503");
        assertThat(record.parts()).isEqualTo(1);
        assertThat(store.list("work/ranges/")).hasSize(1);
    }

    private void uploadManual() {
        String eTag = store.putObject(MANUAL_KEY, resource("pdfs/texlive-latex-base-doc__xspace.pdf"), "application/pdf");
        assertThat(eTag).as("eTag carried by the manual's event fixtures").isEqualTo(MANUAL_ETAG);
    }

    /**
     * Delivers events/{@code fixture} to the function through the mock Lambda event server, as the
     * Lambda service would; returns the message ids of batchItemFailures.
     */
    static List<String> invoke(String fixture) {
        return invokeBody(fixture(fixture));
    }

    static String fixture(String fixture) {
        return new String(resource("events/" + fixture), StandardCharsets.UTF_8);
    }

    static List<String> invokeBody(String body) {
        return given()
                .port(ConfigProvider.getConfig().getValue("quarkus.lambda.mock-event-server.test-port", Integer.class))
                .contentType("application/json")
                .accept("application/json")
                .body(body)
                .when().post("/_lambda_")
                .then().statusCode(200)
                .extract().jsonPath().getList("batchItemFailures.itemIdentifier", String.class);
    }

    static byte[] resource(String path) {
        try (InputStream in = ExtractHandlerTest.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("No test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
