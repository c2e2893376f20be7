package dev.quarry.testsupport.pipeline;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import dev.quarry.core.lambda.Backoff;
import dev.quarry.core.lambda.S3EventBatchProcessor;
import dev.quarry.core.metrics.MetricNames;
import dev.quarry.core.metrics.StageMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.quarry.core.pipeline.ExpireUploadTask;
import dev.quarry.core.port.PermanentException;
import dev.quarry.core.port.RetryableException;
import dev.quarry.model.ErrorCode;
import dev.quarry.testsupport.S3Events;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import static dev.quarry.testsupport.S3Events.sqsBatch;
import static dev.quarry.testsupport.S3Events.sqsMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Messages the product sends to a stage's queue itself (an upload's expiry), beside the S3 notifications. */
class TaskMessagesTest {
    private static final String DOC = "0123456789abcdef01234567";
    private final List<String> stageCalls = new ArrayList<>();
    private final List<String> tasksRun = new ArrayList<>();

    private S3EventBatchProcessor processor(RuntimeException taskFailure) {
        return new S3EventBatchProcessor("index", n -> stageCalls.add(n.key()), 5, new Backoff(1, Duration.ZERO, Duration.ZERO),
                (n, f) -> { }, d -> { }, new SplittableRandom(1))
                .withTasks(body -> ExpireUploadTask.parse(body).map(task -> {
                    tasksRun.add(task.documentId());
                    if (taskFailure != null) {
                        throw taskFailure;
                    }
                    return true;
                }).orElse(false));
    }

    private static List<String> failed(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    @Test
    void a_task_message_runs_its_task_and_an_s3_notification_beside_it_still_reaches_the_stage() {
        String notification = S3Events.notification(S3Events.created("bucket", "work/embedded/acme/" + DOC + "/v/part-00000.json",
                10, "etag", "0001"));

        SQSBatchResponse response = processor(null).process(sqsBatch(sqsMessage("t1", new ExpireUploadTask(DOC).body(), 1),
                sqsMessage("n1", notification, 1)));

        assertThat(failed(response)).isEmpty();
        assertThat(tasksRun).containsExactly(DOC);
        assertThat(stageCalls).hasSize(1);
    }

    @Test
    void a_task_that_fails_for_a_while_goes_back_to_the_queue_and_one_that_fails_for_good_does_not() {
        SQSBatchResponse transientFailure = processor(new RetryableException("OpenSearch answered 503"))
                .process(sqsBatch(sqsMessage("t1", new ExpireUploadTask(DOC).body(), 1)));
        SQSBatchResponse permanentFailure = processor(new PermanentException(ErrorCode.ACCESS_DENIED, "403 from OpenSearch"))
                .process(sqsBatch(sqsMessage("t2", new ExpireUploadTask(DOC).body(), 1)));

        assertThat(failed(transientFailure)).containsExactly("t1");
        assertThat(failed(permanentFailure)).isEmpty();
    }

    @Test
    void a_body_that_is_neither_a_task_nor_a_notification_is_left_for_the_dead_letter_queue() {
        SQSBatchResponse response = processor(null).process(sqsBatch(sqsMessage("x1", "{\"task\":\"unknown\"}", 1)));

        assertThat(failed(response)).containsExactly("x1");
        assertThat(tasksRun).isEmpty();
        assertThat(stageCalls).isEmpty();
    }

    @Test
    void the_task_body_round_trips_and_other_bodies_are_not_tasks() {
        assertThat(ExpireUploadTask.parse(new ExpireUploadTask(DOC).body())).contains(new ExpireUploadTask(DOC));
        assertThat(ExpireUploadTask.parse("{\"task\":\"expire-upload\"}")).isEmpty();
        assertThat(ExpireUploadTask.parse("{\"Records\":[]}")).isEmpty();
        assertThat(ExpireUploadTask.parse("expire-upload")).isEmpty();
        assertThatThrownBy(() -> new ExpireUploadTask(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void how_each_task_message_ended_is_counted_with_the_stages_records() {
        MeterRegistry registry = new SimpleMeterRegistry();
        Function<RuntimeException, S3EventBatchProcessor> processor = failure -> new S3EventBatchProcessor(
                "index", n -> { }, 3, new Backoff(1, Duration.ZERO, Duration.ZERO), (n, f) -> { }, d -> { },
                new SplittableRandom(1), new StageMetrics("index", registry, () -> { }))
                .withTasks(body -> {
                    if (failure != null) {
                        throw failure;
                    }
                    return ExpireUploadTask.parse(body).isPresent();
                });
        String task = new ExpireUploadTask(DOC).body();

        processor.apply(null).process(sqsBatch(sqsMessage("ok", task, 1)));
        processor.apply(new PermanentException(ErrorCode.ACCESS_DENIED, "403")).process(sqsBatch(sqsMessage("no", task, 1)));
        processor.apply(new RetryableException("503")).process(sqsBatch(sqsMessage("again", task, 1)));
        processor.apply(new RetryableException("503")).process(sqsBatch(sqsMessage("dlq", task, 3)));

        ToDoubleFunction<String> count = name -> registry.get(name)
                .tag(MetricNames.STAGE, "index").counter().count();
        assertThat(count.applyAsDouble(MetricNames.RECORDS_RECEIVED)).isEqualTo(4);
        assertThat(count.applyAsDouble(MetricNames.RECORDS_SUCCEEDED)).isEqualTo(1);
        assertThat(count.applyAsDouble(MetricNames.RECORDS_FAILED)).isEqualTo(1);
        assertThat(count.applyAsDouble(MetricNames.RECORDS_REQUEUED)).isEqualTo(1);
        assertThat(count.applyAsDouble(MetricNames.RECORDS_DEAD_LETTERED)).isEqualTo(1);
    }
}
