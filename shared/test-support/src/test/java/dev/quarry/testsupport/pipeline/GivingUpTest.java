package dev.quarry.testsupport.pipeline;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.quarry.core.lambda.Backoff;
import dev.quarry.core.lambda.S3EventBatchProcessor;
import dev.quarry.core.pipeline.DocumentLifecycle;
import dev.quarry.core.pipeline.Keys;
import dev.quarry.core.pipeline.S3Notification;
import dev.quarry.core.port.PermanentException;
import dev.quarry.core.port.RetryableException;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;
import dev.quarry.model.ErrorCode;
import dev.quarry.testsupport.InMemoryStatusStore;
import dev.quarry.testsupport.S3Events;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static dev.quarry.testsupport.S3Events.sqsBatch;
import static dev.quarry.testsupport.S3Events.sqsMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the batch processor does with a failing record, decided by the one failure classification: a permanent
 * failure is tried once and ends its document FAILED with a reason at once (the message is done); a transient
 * one is retried in process with backoff, then left to the queue, and on the queue's last delivery its
 * document ends FAILED (UNAVAILABLE) while the message goes to the dead-letter queue.
 */
class GivingUpTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String TENANT = "acme";
    private static final String NAME = "manual.pdf";
    private static final String ID = Keys.documentId(TENANT, NAME);
    private static final String VERSION = "0123456789abcdef0123456789abcdef";
    private static final String PART_KEY = Keys.work(Keys.CHUNKS, TENANT, ID, VERSION, 0);
    private static final Backoff BACKOFF = new Backoff(3, Duration.ofMillis(100), Duration.ofSeconds(1));

    private final InMemoryStatusStore statuses = new InMemoryStatusStore();
    private final DocumentLifecycle documents = new DocumentLifecycle(statuses, Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));
    private final List<Duration> slept = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();

    private void documentInProgress() {
        statuses.put(DocumentRecord.queued(ID, TENANT, NAME, Keys.document(TENANT, NAME), T0)
                .newVersion(VERSION, "0001", 1000, T0).planned(3, 1, null, null, T0).withStatus(DocumentStatus.EMBEDDING, T0));
    }



    private static String partEvent() {
        return S3Events.notification(S3Events.created("bucket", PART_KEY, 100, "etag", "0002"));
    }

    /** A stage that fails with the given failures in turn, then succeeds; every call is recorded. */
    private Consumer<S3Notification> stage(RuntimeException... failures) {
        return n -> {
            calls.add(n.key());
            if (calls.size() <= failures.length) {
                throw failures[calls.size() - 1];
            }
        };
    }

    private S3EventBatchProcessor processor(Consumer<S3Notification> stage) {
        return new S3EventBatchProcessor("embed", stage, 3, BACKOFF, documents::fail, slept::add, new SplittableRandom(3));
    }

    private static List<String> failed(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    @Test
    void a_defect_is_tried_once_and_ends_the_document_failed_at_once_with_a_reason() {
        documentInProgress();
        IllegalArgumentException bug = new IllegalArgumentException("Cannot embed empty or whitespace-only text");

        SQSBatchResponse response = processor(stage(bug, bug, bug)).process(sqsBatch(sqsMessage("m1", partEvent(), 1)));

        assertThat(calls).as("not retried").hasSize(1);
        assertThat(slept).isEmpty();
        assertThat(failed(response)).as("the record is done: another delivery would fail the same way").isEmpty();
        DocumentRecord record = statuses.get(ID).orElseThrow();
        assertThat(record.status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(record.errorCode()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(record.reason()).isEqualTo("The embed stage failed on a defect that retrying cannot fix (IllegalArgumentException: "
                + "Cannot embed empty or whitespace-only text). The document was not processed; report this reason to the operators.");
        assertThat(record.updatedAt()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void access_denied_is_not_retried_and_keeps_the_adapters_code_and_reason() {
        documentInProgress();

        SQSBatchResponse response = processor(stage(new PermanentException(ErrorCode.ACCESS_DENIED,
                "Failed to read s3://bucket/" + PART_KEY + ": 403 AccessDenied (access denied: check the function role's S3 permissions"
                        + " and the bucket policy)"))).process(sqsBatch(sqsMessage("m1", partEvent(), 1)));

        assertThat(calls).hasSize(1);
        assertThat(failed(response)).isEmpty();
        assertThat(statuses.get(ID).orElseThrow()).extracting(DocumentRecord::status, DocumentRecord::errorCode)
                .containsExactly(DocumentStatus.FAILED, ErrorCode.ACCESS_DENIED);
        assertThat(statuses.get(ID).orElseThrow().reason()).contains("403 AccessDenied", "S3 permissions");
    }

    @Test
    void a_transient_failure_is_retried_in_process_with_growing_jittered_waits_and_then_succeeds() {
        documentInProgress();

        SQSBatchResponse response = processor(stage(new RetryableException("The embedding model is throttling: 429"),
                new RetryableException("The embedding model is throttling: 429"))).process(sqsBatch(sqsMessage("m1", partEvent(), 1)));

        assertThat(calls).hasSize(3);
        assertThat(failed(response)).isEmpty();
        assertThat(slept).hasSize(2);
        assertThat(slept.get(0)).isBetween(Duration.ZERO, BACKOFF.ceiling(1));
        assertThat(slept.get(1)).isBetween(Duration.ZERO, BACKOFF.ceiling(2));
        assertThat(statuses.get(ID).orElseThrow().status()).isEqualTo(DocumentStatus.EMBEDDING);
    }

    @Test
    void a_transient_failure_that_outlasts_the_in_process_retries_is_left_to_the_queue() {
        documentInProgress();
        RetryableException down = new RetryableException("OpenSearch answered 503 to POST /_bulk");

        SQSBatchResponse response = processor(stage(down, down, down, down)).process(sqsBatch(sqsMessage("m1", partEvent(), 2)));

        assertThat(calls).as("the in-process attempts, no more").hasSize(BACKOFF.attempts());
        assertThat(failed(response)).containsExactly("m1");
        assertThat(statuses.get(ID).orElseThrow().status()).as("not the last delivery: still working").isEqualTo(DocumentStatus.EMBEDDING);
    }

    @Test
    void a_transient_failure_on_the_last_delivery_ends_the_document_unavailable_and_still_dead_letters_it() {
        documentInProgress();
        RetryableException down = new RetryableException("OpenSearch answered 503 to POST /_bulk");

        SQSBatchResponse response = processor(stage(down, down, down)).process(sqsBatch(sqsMessage("m1", partEvent(), 3)));

        assertThat(failed(response)).as("reported, so that the queue moves it to the DLQ").containsExactly("m1");
        DocumentRecord failed = statuses.get(ID).orElseThrow();
        assertThat(failed.status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(failed.errorCode()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(failed.reason()).isEqualTo("The embed stage kept failing on a service it needs through 3 deliveries "
                + "(RetryableException: OpenSearch answered 503 to POST /_bulk); its message was moved to the dead-letter queue. "
                + "Once the service is back, redrive the queue or upload the PDF again.");
    }

    @Test
    void no_in_process_retry_when_the_invocation_has_no_time_left_for_it() {
        documentInProgress();
        RetryableException down = new RetryableException("OpenSearch answered 503 to POST /_bulk");

        SQSBatchResponse response = processor(stage(down, down, down)).process(sqsBatch(sqsMessage("m1", partEvent(), 1)), () -> 900);

        assertThat(calls).as("one try: the queue retries after the visibility timeout").hasSize(1);
        assertThat(slept).isEmpty();
        assertThat(failed(response)).containsExactly("m1");
    }

    @Test
    void a_permanent_failure_whose_status_cannot_be_recorded_is_left_to_the_queue() {
        S3EventBatchProcessor processor = new S3EventBatchProcessor("embed", stage(new IllegalStateException("bug")), 3, BACKOFF,
                (n, f) -> {
                    throw new RetryableException("OpenSearch answered 503");
                }, slept::add, new SplittableRandom(3));

        assertThat(failed(processor.process(sqsBatch(sqsMessage("m1", partEvent(), 1))))).containsExactly("m1");
    }

    @Test
    void an_error_thrown_by_one_record_fails_that_record_only() {
        S3EventBatchProcessor processor = processor(n -> {
            calls.add(n.key());
            if (n.key().contains("deep")) {
                throw new StackOverflowError();
            }
        });

        SQSBatchResponse response = processor.process(sqsBatch(
                sqsMessage("deep", S3Events.notification(S3Events.created("b", "work/chunks/deep.json", 1, "e", "1")), 1),
                sqsMessage("fine", S3Events.notification(S3Events.created("b", "work/chunks/fine.json", 1, "e", "2")), 1)));

        assertThat(failed(response)).as("a StackOverflowError is a defect: that record ends, its key names no document").isEmpty();
        assertThat(calls).containsExactly("work/chunks/deep.json", "work/chunks/fine.json");
    }

    @Test
    void one_record_failing_transiently_leaves_its_neighbours_done() {
        documentInProgress();
        S3EventBatchProcessor processor = processor(n -> {
            calls.add(n.key());
            if (n.key().contains("slow")) {
                throw new RetryableException("timeout");
            }
        });

        SQSBatchResponse response = processor.process(sqsBatch(
                sqsMessage("slow", S3Events.notification(S3Events.created("b", "work/chunks/slow.json", 1, "e", "1")), 1),
                sqsMessage("fine", S3Events.notification(S3Events.created("b", "work/chunks/fine.json", 1, "e", "2")), 1)));

        assertThat(failed(response)).containsExactly("slow");
        assertThat(calls).endsWith("work/chunks/fine.json");
    }

    @Test
    void giving_up_leaves_a_replaced_or_finished_version_alone() {
        statuses.put(DocumentRecord.queued(ID, TENANT, NAME, Keys.document(TENANT, NAME), T0)
                .newVersion("a-newer-version", "0009", 1000, T0));
        processor(stage(new IllegalStateException("x"))).process(sqsBatch(sqsMessage("m1", partEvent(), 1)));
        assertThat(statuses.get(ID).orElseThrow().status()).isEqualTo(DocumentStatus.EXTRACTING);

        statuses.put(statuses.get(ID).orElseThrow().ready(4, List.of(), T0));
        processor(stage(new IllegalStateException("x"))).process(sqsBatch(sqsMessage("m2", S3Events.notification(
                S3Events.created("bucket", Keys.work(Keys.EMBEDDED, TENANT, ID, "a-newer-version", 0), 100, "e", "3")), 1)));
        assertThat(statuses.get(ID).orElseThrow().status()).isEqualTo(DocumentStatus.READY);
    }

    @Test
    void a_message_that_is_not_an_s3_event_is_dead_lettered_without_touching_any_document() {
        documentInProgress();

        SQSBatchResponse response = processor(stage()).process(sqsBatch(sqsMessage("junk", "this is not an S3 event", 3)));

        assertThat(failed(response)).containsExactly("junk");
        assertThat(calls).isEmpty();
        assertThat(statuses.get(ID).orElseThrow().status()).isEqualTo(DocumentStatus.EMBEDDING);
    }

    @Test
    void a_max_receive_count_below_one_is_refused() {
        assertThatThrownBy(() -> new S3EventBatchProcessor("embed", n -> { }, 0, BACKOFF, (n, f) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxReceiveCount");
    }

    @Test
    void an_upload_event_that_fails_for_good_fails_the_version_it_carries() {
        statuses.put(DocumentRecord.queued(ID, TENANT, NAME, Keys.document(TENANT, NAME), T0).newVersion(VERSION, "0001", 1000, T0));
        String upload = S3Events.notification(S3Events.created("bucket", Keys.document(TENANT, NAME), 1000, VERSION, "0001"));

        S3EventBatchProcessor extract = new S3EventBatchProcessor("extract", stage(new RetryableException("S3 unavailable"),
                new RetryableException("S3 unavailable"), new RetryableException("S3 unavailable")), 3, BACKOFF, documents::fail,
                slept::add, new SplittableRandom(1));
        extract.process(sqsBatch(sqsMessage("m1", upload, 3)));

        assertThat(statuses.get(ID).orElseThrow().status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(statuses.get(ID).orElseThrow().reason())
                .startsWith("The extract stage kept failing on a service it needs through 3 deliveries (RetryableException: S3 unavailable)");
    }
}
