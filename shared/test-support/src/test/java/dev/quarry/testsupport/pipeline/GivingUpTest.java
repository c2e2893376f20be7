package dev.quarry.testsupport.pipeline;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.quarry.core.lambda.S3EventBatchProcessor;
import dev.quarry.core.pipeline.Documents;
import dev.quarry.core.pipeline.Keys;
import dev.quarry.core.pipeline.S3Notification;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;
import dev.quarry.model.ErrorCode;
import dev.quarry.testsupport.InMemoryStatusStore;
import dev.quarry.testsupport.S3Events;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A record that keeps failing is retried by the queue until its last allowed delivery; there the
 * batch processor gives it up and its document ends FAILED with a reason, never stuck in a working state.
 */
class GivingUpTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String TENANT = "acme";
    private static final String NAME = "manual.pdf";
    private static final String ID = Keys.documentId(TENANT, NAME);
    private static final String VERSION = "0123456789abcdef0123456789abcdef";
    private static final String PART_KEY = Keys.work(Keys.CHUNKS, TENANT, ID, VERSION, 0);

    private final InMemoryStatusStore statuses = new InMemoryStatusStore();
    private final Documents documents = new Documents(statuses, Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));

    private void documentInProgress() {
        statuses.put(DocumentRecord.queued(ID, TENANT, NAME, Keys.document(TENANT, NAME), T0)
                .newVersion(VERSION, "0001", 1000, T0).planned(3, 1, null, null, T0).withStatus(DocumentStatus.EMBEDDING, T0));
    }

    private static SQSEvent.SQSMessage message(String id, String body, int receiveCount) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(id);
        m.setBody(body);
        m.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(receiveCount)));
        return m;
    }

    private static SQSEvent batch(SQSEvent.SQSMessage... messages) {
        SQSEvent e = new SQSEvent();
        e.setRecords(List.of(messages));
        return e;
    }

    private static String partEvent() {
        return S3Events.notification(S3Events.created("bucket", PART_KEY, 100, "etag", "0002"));
    }

    private S3EventBatchProcessor failingProcessor(RuntimeException failure, List<String> givenUp) {
        return new S3EventBatchProcessor(n -> {
            throw failure;
        }, 3, (n, cause, attempts) -> {
            givenUp.add(n.key() + " after " + attempts);
            documents.giveUp("embed", n, cause, attempts);
        });
    }

    @Test
    void failure_before_the_last_delivery_is_reported_and_left_for_a_retry() {
        documentInProgress();
        List<String> givenUp = new ArrayList<>();

        SQSBatchResponse response = failingProcessor(new IllegalStateException("Bedrock throttled"), givenUp)
                .process(batch(message("m1", partEvent(), 2)));

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier).containsExactly("m1");
        assertThat(givenUp).isEmpty();
        assertThat(statuses.get(ID).orElseThrow().status()).isEqualTo(DocumentStatus.EMBEDDING);
    }

    @Test
    void failure_on_the_last_delivery_ends_the_document_failed_with_the_stage_and_cause_and_still_dead_letters_it() {
        documentInProgress();
        List<String> givenUp = new ArrayList<>();

        SQSBatchResponse response = failingProcessor(new IllegalStateException("Bedrock throttled"), givenUp)
                .process(batch(message("m1", partEvent(), 3)));

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .as("reported, so that the queue moves it to the DLQ").containsExactly("m1");
        assertThat(givenUp).containsExactly(PART_KEY + " after 3");
        DocumentRecord failed = statuses.get(ID).orElseThrow();
        assertThat(failed.status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(failed.errorCode()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(failed.reason()).isEqualTo("The embed stage failed 3 times (IllegalStateException: Bedrock throttled); "
                + "its message was moved to the dead-letter queue. Upload the PDF again once the cause is fixed.");
        assertThat(failed.updatedAt()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void an_error_thrown_by_one_record_fails_that_record_only() {
        List<String> seen = new ArrayList<>();
        S3EventBatchProcessor processor = new S3EventBatchProcessor(n -> {
            seen.add(n.key());
            if (n.key().contains("deep")) {
                throw new StackOverflowError();
            }
        }, 3, (n, cause, attempts) -> { });

        SQSBatchResponse response = processor.process(batch(
                message("deep", S3Events.notification(S3Events.created("b", "work/chunks/deep.json", 1, "e", "1")), 1),
                message("fine", S3Events.notification(S3Events.created("b", "work/chunks/fine.json", 1, "e", "2")), 1)));

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier).containsExactly("deep");
        assertThat(seen).containsExactly("work/chunks/deep.json", "work/chunks/fine.json");
    }

    @Test
    void giving_up_leaves_a_replaced_or_finished_version_alone() {
        statuses.put(DocumentRecord.queued(ID, TENANT, NAME, Keys.document(TENANT, NAME), T0)
                .newVersion("a-newer-version", "0009", 1000, T0));
        documents.giveUp("chunk", S3Events.created("bucket", PART_KEY, 100, "etag", "0002"), new RuntimeException("x"), 3);
        assertThat(statuses.get(ID).orElseThrow().status()).isEqualTo(DocumentStatus.EXTRACTING);

        statuses.put(statuses.get(ID).orElseThrow().ready(4, List.of(), T0));
        documents.giveUp("index", S3Events.created("bucket", Keys.work(Keys.EMBEDDED, TENANT, ID, "a-newer-version", 0), 100, "e", "3"),
                new RuntimeException("x"), 5);
        assertThat(statuses.get(ID).orElseThrow().status()).isEqualTo(DocumentStatus.READY);
    }

    @Test
    void a_message_that_is_not_an_s3_event_is_dead_lettered_without_touching_any_document() {
        documentInProgress();
        List<String> givenUp = new ArrayList<>();
        S3EventBatchProcessor processor = new S3EventBatchProcessor(n -> { }, 3, (n, cause, attempts) -> givenUp.add(n.key()));

        SQSBatchResponse response = processor.process(batch(message("junk", "this is not an S3 event", 3)));

        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(givenUp).isEmpty();
        assertThat(statuses.get(ID).orElseThrow().status()).isEqualTo(DocumentStatus.EMBEDDING);
    }

    @Test
    void a_max_receive_count_below_one_is_refused() {
        assertThatThrownBy(() -> new S3EventBatchProcessor(n -> { }, 0, (n, c, a) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxReceiveCount");
    }

    @Test
    void an_upload_event_that_fails_for_good_fails_the_version_it_carries() {
        statuses.put(DocumentRecord.queued(ID, TENANT, NAME, Keys.document(TENANT, NAME), T0).newVersion(VERSION, "0001", 1000, T0));
        S3Notification upload = S3Events.created("bucket", Keys.document(TENANT, NAME), 1000, VERSION, "0001");

        documents.giveUp("extract", upload, new RuntimeException("S3 unavailable"), 3);

        assertThat(statuses.get(ID).orElseThrow().status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(statuses.get(ID).orElseThrow().reason()).startsWith("The extract stage failed 3 times (RuntimeException: S3 unavailable)");
    }
}
