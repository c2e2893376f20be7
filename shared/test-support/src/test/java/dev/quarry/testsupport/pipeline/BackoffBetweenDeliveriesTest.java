package dev.quarry.testsupport.pipeline;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.quarry.core.lambda.Backoff;
import dev.quarry.core.lambda.Redelivery;
import dev.quarry.core.lambda.S3EventBatchProcessor;
import dev.quarry.core.metrics.StageMetrics;
import dev.quarry.core.pipeline.DocumentLifecycle;
import dev.quarry.core.pipeline.Keys;
import dev.quarry.core.pipeline.S3Notification;
import dev.quarry.core.port.PermanentException;
import dev.quarry.core.port.RetryableException;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;
import dev.quarry.model.ErrorCode;
import dev.quarry.testsupport.InMemoryStatusStore;
import dev.quarry.testsupport.RecordingQueueVisibility;
import dev.quarry.testsupport.RecordingQueueVisibility.Change;
import dev.quarry.testsupport.S3Events;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Consumer;

import static dev.quarry.testsupport.S3Events.sqsBatch;
import static dev.quarry.testsupport.S3Events.sqsMessage;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backoff between deliveries: a message left to the queue before its last delivery is hidden for a delay that
 * grows with its receive count (capped, full jitter) instead of the queue's visibility timeout; nothing else is
 * delayed, and a queue that refuses the change never changes the batch's answer.
 */
class BackoffBetweenDeliveriesTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String TENANT = "acme";
    private static final String NAME = "manual.pdf";
    private static final String ID = Keys.documentId(TENANT, NAME);
    private static final String VERSION = "0123456789abcdef0123456789abcdef";
    private static final String PART_KEY = Keys.work(Keys.CHUNKS, TENANT, ID, VERSION, 0);
    private static final String QUEUE_ARN = S3Events.QUEUE_ARN;
    private static final Duration BASE = Duration.ofSeconds(20);
    private static final Duration CAP = Duration.ofMinutes(5);

    private final InMemoryStatusStore statuses = new InMemoryStatusStore();
    private final DocumentLifecycle documents = new DocumentLifecycle(statuses, Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));
    private final RecordingQueueVisibility queue = new RecordingQueueVisibility();

    private void documentInProgress() {
        statuses.put(DocumentRecord.queued(ID, TENANT, NAME, Keys.document(TENANT, NAME), T0)
                .newVersion(VERSION, "0001", 1000, T0).planned(3, 1, null, null, T0).withStatus(DocumentStatus.EMBEDDING, T0));
    }



    private static String partEvent() {
        return S3Events.notification(S3Events.created("bucket", PART_KEY, 100, "etag", "0002"));
    }

    private static String otherPartEvent() {
        return S3Events.notification(S3Events.created("bucket", Keys.work(Keys.CHUNKS, TENANT, ID, VERSION, 1), 100, "etag", "0003"));
    }

    /** One try per delivery, so every retry is the queue's. */
    private S3EventBatchProcessor processor(Consumer<S3Notification> stage, int maxReceiveCount, long seed) {
        return new S3EventBatchProcessor("embed", stage, maxReceiveCount, Backoff.none(), documents::fail, d -> { },
                new SplittableRandom(seed), StageMetrics.none("embed"), new Redelivery(queue, BASE, CAP));
    }

    private static Consumer<S3Notification> failing(RuntimeException e) {
        return n -> {
            throw e;
        };
    }

    private static List<String> failed(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    @Test
    void a_transient_failure_is_hidden_for_a_delay_that_grows_with_the_receive_count_up_to_the_cap_with_equal_jitter() {
        documentInProgress();
        int maxReceiveCount = 10;
        for (int delivery = 1; delivery < maxReceiveCount; delivery++) {
            long ceiling = Math.min(CAP.toMillis(), BASE.toMillis() << (delivery - 1));
            TreeSet<Long> delays = new TreeSet<>();
            for (int run = 0; run < 200; run++) {
                queue.reset();
                SQSBatchResponse response = processor(failing(new RetryableException("The embedding model is throttling: 429")),
                        maxReceiveCount, delivery * 1000L + run).process(sqsBatch(sqsMessage("m1", partEvent(), delivery)));

                assertThat(failed(response)).containsExactly("m1");
                assertThat(queue.changes()).hasSize(1);
                Change change = queue.changes().get(0);
                assertThat(change.eventSourceArn()).isEqualTo(QUEUE_ARN);
                assertThat(change.receiptHandle()).isEqualTo("handle-m1-" + delivery);
                delays.add(change.delay().toMillis());
            }
            assertThat(delays.first()).as("delivery %d: never negative", delivery).isGreaterThanOrEqualTo(0);
            assertThat(delays.last()).as("delivery %d: at most min(cap, base * 2^(n-1)) = %d ms", delivery, ceiling)
                    .isLessThanOrEqualTo(ceiling);
            // Equal jitter: spread over the upper half of the range, not bunched at the ceiling (200 draws).
            assertThat(delays.last()).as("delivery %d: reaches near its ceiling", delivery).isGreaterThan(ceiling * 9 / 10);
            assertThat(delays.first()).as("delivery %d: never below half the ceiling (equal jitter)", delivery)
                    .isGreaterThanOrEqualTo(ceiling / 2);
            assertThat(delays.first()).as("delivery %d: reaches near half the ceiling", delivery).isLessThan(ceiling * 6 / 10);
            assertThat(delays).as("delivery %d: jittered", delivery).hasSizeGreaterThan(150);
        }
    }

    @Test
    void a_zero_base_delay_keeps_the_queues_visibility_timeout_instead_of_redelivering_at_once() {
        S3EventBatchProcessor processor = new S3EventBatchProcessor("embed", failing(new RetryableException("429")), 3,
                Backoff.none(), (n, f) -> { }, d -> { }, new SplittableRandom(1), StageMetrics.none("embed"),
                new Redelivery(queue, Duration.ZERO, CAP));

        SQSBatchResponse response = processor.process(sqsBatch(sqsMessage("m1", partEvent(), 1)));

        assertThat(failed(response)).containsExactly("m1");
        assertThat(queue.changes()).as("no visibility change at all").isEmpty();
        assertThat(new Redelivery(queue, Duration.ZERO, CAP).isNone()).isTrue();
        assertThat(new Redelivery(queue, BASE, CAP).isNone()).isFalse();
    }

    @Test
    void the_ceiling_doubles_per_delivery_until_the_cap() {
        Redelivery redelivery = new Redelivery(queue, BASE, CAP);
        SplittableRandom random = new SplittableRandom(7);
        long[] maxima = new long[8];
        for (int delivery = 1; delivery <= 7; delivery++) {
            for (int i = 0; i < 2000; i++) {
                maxima[delivery] = Math.max(maxima[delivery], redelivery.delayAfter(delivery, random).toMillis());
            }
        }
        // 20, 40, 80, 160 s, then capped at 300 s.
        assertThat(maxima[1]).isBetween(19_000L, 20_000L);
        assertThat(maxima[2]).isBetween(39_000L, 40_000L);
        assertThat(maxima[3]).isBetween(79_000L, 80_000L);
        assertThat(maxima[4]).isBetween(158_000L, 160_000L);
        assertThat(maxima[5]).isBetween(297_000L, 300_000L);
        assertThat(maxima[7]).isBetween(297_000L, 300_000L);
    }

    @Test
    void a_success_is_not_delayed() {
        documentInProgress();

        SQSBatchResponse response = processor(n -> { }, 3, 1).process(sqsBatch(sqsMessage("m1", partEvent(), 2)));

        assertThat(failed(response)).isEmpty();
        assertThat(queue.changes()).isEmpty();
    }

    @Test
    void a_permanent_failure_is_not_delayed_its_message_is_deleted() {
        documentInProgress();

        SQSBatchResponse response = processor(failing(new PermanentException(ErrorCode.ACCESS_DENIED, "403 AccessDenied")), 3, 1)
                .process(sqsBatch(sqsMessage("m1", partEvent(), 1)));

        assertThat(failed(response)).isEmpty();
        assertThat(statuses.get(ID).orElseThrow().status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(queue.changes()).isEmpty();
    }

    @Test
    void the_last_delivery_is_not_delayed_it_goes_to_the_dead_letter_queue() {
        documentInProgress();

        SQSBatchResponse response = processor(failing(new RetryableException("OpenSearch 503")), 3, 1)
                .process(sqsBatch(sqsMessage("m1", partEvent(), 3)));

        assertThat(failed(response)).containsExactly("m1");
        assertThat(statuses.get(ID).orElseThrow().errorCode()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(queue.changes()).isEmpty();
    }

    @Test
    void only_the_failed_record_of_a_batch_is_delayed() {
        documentInProgress();
        Consumer<S3Notification> stage = n -> {
            if (n.key().equals(PART_KEY)) {
                throw new RetryableException("OpenSearch 503");
            }
        };

        SQSBatchResponse response = processor(stage, 3, 1).process(sqsBatch(sqsMessage("m1", otherPartEvent(), 1),
                sqsMessage("m2", partEvent(), 2), sqsMessage("m3", otherPartEvent(), 1)));

        assertThat(failed(response)).containsExactly("m2");
        assertThat(queue.changes()).extracting(Change::receiptHandle).containsExactly("handle-m2-2");
    }

    @Test
    void a_message_that_is_no_s3_notification_is_delayed_until_its_last_delivery() {
        SQSBatchResponse first = processor(n -> { }, 3, 1).process(sqsBatch(sqsMessage("poison", "not an S3 event", 1)));
        assertThat(failed(first)).containsExactly("poison");
        assertThat(queue.changes()).hasSize(1);

        queue.reset();
        SQSBatchResponse last = processor(n -> { }, 3, 1).process(sqsBatch(sqsMessage("poison", "not an S3 event", 3)));
        assertThat(failed(last)).containsExactly("poison");
        assertThat(queue.changes()).isEmpty();
    }

    @Test
    void a_queue_that_refuses_the_change_leaves_the_batch_response_and_the_document_as_they_were() {
        documentInProgress();
        SQSEvent event = sqsBatch(sqsMessage("m1", partEvent(), 1), sqsMessage("m2", otherPartEvent(), 1));
        Consumer<S3Notification> stage = n -> {
            if (n.key().equals(PART_KEY)) {
                throw new RetryableException("OpenSearch 503");
            }
        };
        SQSBatchResponse expected = processor(stage, 3, 1).process(event);
        DocumentRecord before = statuses.get(ID).orElseThrow();

        queue.failWith(new IllegalStateException("Failed to delay the next delivery: 400 ReceiptHandleIsInvalid"));
        SQSBatchResponse response = processor(stage, 3, 1).process(event);

        assertThat(failed(expected)).containsExactly("m1");
        assertThat(failed(response)).isEqualTo(failed(expected));
        assertThat(statuses.get(ID).orElseThrow()).isEqualTo(before);
        assertThat(queue.changes()).as("only the first run's change went through").hasSize(1);
    }

    @Test
    void without_a_queue_nothing_is_delayed() {
        documentInProgress();
        S3EventBatchProcessor processor = new S3EventBatchProcessor("embed", failing(new RetryableException("503")), 3,
                Backoff.none(), documents::fail, d -> { }, new SplittableRandom(1));

        assertThat(failed(processor.process(sqsBatch(sqsMessage("m1", partEvent(), 1))))).containsExactly("m1");
        assertThat(queue.changes()).isEmpty();
    }
}
