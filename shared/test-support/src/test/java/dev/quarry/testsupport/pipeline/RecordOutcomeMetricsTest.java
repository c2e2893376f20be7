package dev.quarry.testsupport.pipeline;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.quarry.core.lambda.Backoff;
import dev.quarry.core.lambda.S3EventBatchProcessor;
import dev.quarry.core.metrics.MetricNames;
import dev.quarry.core.metrics.StageMetrics;
import dev.quarry.core.metrics.StageWork;
import dev.quarry.core.pipeline.DocumentLifecycle;
import dev.quarry.core.pipeline.Keys;
import dev.quarry.core.pipeline.S3Notification;
import dev.quarry.core.port.ModelUsage;
import dev.quarry.core.port.PermanentException;
import dev.quarry.core.port.RetryableException;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;
import dev.quarry.model.ErrorCode;
import dev.quarry.testsupport.InMemoryStatusStore;
import dev.quarry.testsupport.S3Events;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The batch processor counts how every record ended, the work the stage told, and flushes once per invocation. */
class RecordOutcomeMetricsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String ID = Keys.documentId("acme", "manual.pdf");
    private static final String VERSION = "0123456789abcdef0123456789abcdef";
    private static final Backoff BACKOFF = new Backoff(3, Duration.ofMillis(100), Duration.ofSeconds(1));

    private final InMemoryStatusStore statuses = new InMemoryStatusStore();
    private final DocumentLifecycle documents = new DocumentLifecycle(statuses, Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicInteger flushes = new AtomicInteger();

    private S3EventBatchProcessor processor(Consumer<S3Notification> stage) {
        statuses.put(DocumentRecord.queued(ID, "acme", "manual.pdf", Keys.document("acme", "manual.pdf"), T0)
                .newVersion(VERSION, "0001", 1000, T0).planned(3, 3, null, null, T0).withStatus(DocumentStatus.EMBEDDING, T0));
        return new S3EventBatchProcessor("embed", stage, 3, BACKOFF, documents::fail, d -> { }, new SplittableRandom(1),
                new StageMetrics("embed", registry, flushes::incrementAndGet));
    }

    private static SQSEvent.SQSMessage message(int part, int receiveCount) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId("m" + part);
        m.setBody(S3Events.notification(S3Events.created("bucket", Keys.work(Keys.CHUNKS, "acme", ID, VERSION, part), 1000 + part,
                "etag", "0002")));
        m.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(receiveCount)));
        return m;
    }

    private double count(String name) {
        return registry.get(name).tag(MetricNames.STAGE, "embed").counter().count();
    }

    @Test
    void every_outcome_is_counted_once_and_work_only_for_the_try_that_succeeded() {
        // part 0: throttled once, then 7 chunks embedded for 300 tokens; part 1: a defect; part 2: throttled on every
        // try of a first delivery; part 3: throttled on every try of the last delivery.
        Deque<String> calls = new ArrayDeque<>();
        S3EventBatchProcessor processor = processor(n -> {
            calls.add(n.key());
            int part = Keys.parseWork(n.key()).part();
            long tries = calls.stream().filter(n.key()::equals).count();
            StageWork.chunks(7);
            ModelUsage.embedding(300);
            if (part == 0 && tries == 1 || part >= 2) {
                throw new RetryableException("The embedding model is throttling: 429");
            }
            if (part == 1) {
                throw new PermanentException(ErrorCode.INTERNAL, "defect");
            }
        });
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message(0, 1), message(1, 1), message(2, 1), message(3, 3)));

        var response = processor.process(event);

        assertThat(response.getBatchItemFailures()).hasSize(2);
        assertThat(count(MetricNames.RECORDS_RECEIVED)).isEqualTo(4);
        assertThat(count(MetricNames.RECORDS_SUCCEEDED)).isEqualTo(1);
        assertThat(count(MetricNames.RECORDS_FAILED)).isEqualTo(1);
        assertThat(count(MetricNames.RECORDS_REQUEUED)).isEqualTo(1);
        assertThat(count(MetricNames.RECORDS_DEAD_LETTERED)).isEqualTo(1);
        assertThat(count(MetricNames.RETRIES)).as("1 for part 0, 2 each for parts 2 and 3").isEqualTo(5);
        assertThat(count(MetricNames.CHUNKS)).as("the succeeding try's chunks, not the failed try's").isEqualTo(7);
        assertThat(count(MetricNames.EMBEDDING_TOKENS)).isEqualTo(300);
        assertThat(count(MetricNames.BYTES)).isEqualTo(1000 + 1001 + 1002 + 1003);
        assertThat(registry.get(MetricNames.RECORD_DURATION).timer().count()).isEqualTo(4);
        assertThat(flushes).as("one flush per invocation").hasValue(1);
    }

    @Test
    void a_message_that_is_no_notification_is_received_and_left_to_the_queue_then_dead_lettered() {
        S3EventBatchProcessor processor = processor(n -> { });
        SQSEvent.SQSMessage junk = new SQSEvent.SQSMessage();
        junk.setMessageId("junk");
        junk.setBody("not json");
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(junk));

        processor.process(event);
        junk.setAttributes(Map.of("ApproximateReceiveCount", "3"));
        processor.process(event);

        assertThat(count(MetricNames.RECORDS_RECEIVED)).isEqualTo(2);
        assertThat(count(MetricNames.RECORDS_REQUEUED)).isEqualTo(1);
        assertThat(count(MetricNames.RECORDS_DEAD_LETTERED)).isEqualTo(1);
        assertThat(flushes).hasValue(2);
    }
}
