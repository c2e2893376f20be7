package dev.quarry.core.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.quarry.core.metrics.StageMetrics;
import dev.quarry.core.metrics.StageWork;
import dev.quarry.core.pipeline.S3Notification;
import dev.quarry.core.port.Failures;
import dev.quarry.core.port.Failures.Failure;
import dev.quarry.core.port.ModelUsage;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Processes an SQS batch of S3 notifications record by record, so one record never fails its neighbours.
 * What a failure means is decided by {@link Failures}:
 * <ul>
 * <li>permanent (a defect, access denied, a corrupt or missing work file, a model that refuses): the
 * record ends at once. Its document is ended FAILED with the reason through the {@link EndDocument} hook,
 * and the message is done (not reported, so it is deleted): another delivery would fail the same way.
 * A message that names no document (not an S3 notification at all) is reported instead, so the queue
 * keeps it and dead-letters it after maxReceiveCount;</li>
 * <li>transient (throttling, 5xx, timeouts, resets): retried in process with capped exponential backoff
 * and jitter ({@link Backoff}), then reported in {@code batchItemFailures}, so the queue delivers it again.
 * When: the message is hidden for a delay that grows with its receive count ({@link Redelivery}, backoff between
 * deliveries), so it comes back after seconds to minutes instead of the queue's visibility timeout; if that change
 * fails, the queue's own timeout applies. On the last delivery the queue allows ({@code ApproximateReceiveCount >=
 * maxReceiveCount}) the document is ended FAILED (UNAVAILABLE) and the message is left as it is, to go to the DLQ,
 * where it can be redriven.</li>
 * </ul>
 * Every message left to the queue before its last delivery gets that delay: a transient failure, a permanent one
 * whose document could not be ended (the status store failing), and a message that is no S3 notification (so it
 * reaches the DLQ sooner). A message done with is deleted by the queue and never delayed.
 * Every line logged while a record is processed, by this class, the stage or a library it calls, carries the
 * record's {@link LogFields} (stage, tenant, documentId, version, part, attempt, try, messageId and the
 * invocation's requestId), and each record ends with one line saying how it went.
 * <p>
 * How each record ended is counted here too, once for every stage ({@link StageMetrics}: received, succeeded,
 * failed, requeued, dead-lettered, retries, duration, bytes, and the pages, chunks and embedding tokens the stage
 * told), and the invocation's metrics are flushed when the batch is done.
 */
public final class S3EventBatchProcessor {
    private static final Logger LOG = Logger.getLogger(S3EventBatchProcessor.class);

    /** Ends the document version a notification belongs to as FAILED with the failure's code and reason. */
    @FunctionalInterface
    public interface EndDocument {
        void end(S3Notification notification, Failure failure);
    }

    /**
     * Messages of the stage's queue that are not S3 notifications but work the product sends itself (such as
     * {@code ExpireUploadTask}): runs the body's task and returns true, or returns false when the body is none of them.
     */
    @FunctionalInterface
    public interface Tasks {
        boolean run(String body);

        static Tasks none() {
            return body -> false;
        }
    }

    /** Waits between in-process retries; tests record instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final String stageName;
    private final Consumer<S3Notification> stage;
    private final int maxReceiveCount;
    private final Backoff backoff;
    private final EndDocument endDocument;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final StageMetrics metrics;
    private final Redelivery redelivery;
    private final Tasks tasks;

    public S3EventBatchProcessor(String stageName, Consumer<S3Notification> stage, int maxReceiveCount, Backoff backoff,
            EndDocument endDocument) {
        this(stageName, stage, maxReceiveCount, backoff, endDocument, StageMetrics.none(stageName));
    }

    public S3EventBatchProcessor(String stageName, Consumer<S3Notification> stage, int maxReceiveCount, Backoff backoff,
            EndDocument endDocument, StageMetrics metrics) {
        this(stageName, stage, maxReceiveCount, backoff, endDocument, d -> Thread.sleep(d.toMillis()), ThreadLocalRandom.current(),
                metrics);
    }

    public S3EventBatchProcessor(String stageName, Consumer<S3Notification> stage, int maxReceiveCount, Backoff backoff,
            EndDocument endDocument, Sleeper sleeper, RandomGenerator random) {
        this(stageName, stage, maxReceiveCount, backoff, endDocument, sleeper, random, StageMetrics.none(stageName));
    }

    public S3EventBatchProcessor(String stageName, Consumer<S3Notification> stage, int maxReceiveCount, Backoff backoff,
            EndDocument endDocument, Sleeper sleeper, RandomGenerator random, StageMetrics metrics) {
        this(stageName, stage, maxReceiveCount, backoff, endDocument, sleeper, random, metrics, Redelivery.none());
    }

    /** What the functions build: in-process retries, then backoff between deliveries through the queue. */
    public S3EventBatchProcessor(String stageName, Consumer<S3Notification> stage, int maxReceiveCount, Backoff backoff,
            EndDocument endDocument, StageMetrics metrics, Redelivery redelivery) {
        this(stageName, stage, maxReceiveCount, backoff, endDocument, d -> Thread.sleep(d.toMillis()), ThreadLocalRandom.current(),
                metrics, redelivery);
    }

    public S3EventBatchProcessor(String stageName, Consumer<S3Notification> stage, int maxReceiveCount, Backoff backoff,
            EndDocument endDocument, Sleeper sleeper, RandomGenerator random, StageMetrics metrics, Redelivery redelivery) {
        this(stageName, stage, maxReceiveCount, backoff, endDocument, sleeper, random, metrics, redelivery, Tasks.none());
    }

    private S3EventBatchProcessor(String stageName, Consumer<S3Notification> stage, int maxReceiveCount, Backoff backoff,
            EndDocument endDocument, Sleeper sleeper, RandomGenerator random, StageMetrics metrics, Redelivery redelivery,
            Tasks tasks) {
        if (maxReceiveCount < 1) {
            throw new IllegalArgumentException("maxReceiveCount must be at least 1, was " + maxReceiveCount);
        }
        this.stageName = Objects.requireNonNull(stageName, "stageName");
        this.stage = Objects.requireNonNull(stage, "stage");
        this.maxReceiveCount = maxReceiveCount;
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.endDocument = Objects.requireNonNull(endDocument, "endDocument");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.redelivery = Objects.requireNonNull(redelivery, "redelivery");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
    }

    /** This processor, also running the product's own task messages the queue carries (see {@link Tasks}). */
    public S3EventBatchProcessor withTasks(Tasks stageTasks) {
        return new S3EventBatchProcessor(stageName, stage, maxReceiveCount, backoff, endDocument, sleeper, random, metrics,
                redelivery, stageTasks);
    }

    public SQSBatchResponse process(SQSEvent event) {
        return process(event, () -> Long.MAX_VALUE);
    }

    /**
     * Processes the batch within the invocation's time ({@code context} null, or a runtime that sends no deadline
     * and so reports no time left before the work starts: no limit).
     */
    public SQSBatchResponse process(SQSEvent event, Context context) {
        try (LogFields.Scope request = LogFields.put(LogFields.REQUEST_ID, context == null ? null : context.getAwsRequestId())) {
            if (context == null || context.getRemainingTimeInMillis() <= 0) {
                return process(event);
            }
            return process(event, () -> context.getRemainingTimeInMillis());
        }
    }

    /**
     * Processes the batch within the invocation's time: an in-process retry is made only while
     * {@code remainingMillis} (Lambda's {@code Context.getRemainingTimeInMillis}) leaves room for the wait and
     * twice the failed attempt's duration; otherwise the record is left to the queue at once.
     */
    public SQSBatchResponse process(SQSEvent event, LongSupplier remainingMillis) {
        try {
            return processBatch(event, remainingMillis);
        } finally {
            flushMetrics();
        }
    }

    private void flushMetrics() {
        try {
            metrics.flush();
        } catch (RuntimeException e) {
            LOG.warnf("Could not write this invocation's metrics: %s", Failures.summary(e));
        }
    }

    private SQSBatchResponse processBatch(SQSEvent event, LongSupplier remainingMillis) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        List<SQSEvent.SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        try (LogFields.Scope stage = LogFields.put(LogFields.STAGE, stageName)) {
            for (SQSEvent.SQSMessage message : records) {
                Outcome outcome;
                try (LogFields.Scope delivery = LogFields.put(Map.of(LogFields.MESSAGE_ID, String.valueOf(message.getMessageId()),
                        LogFields.ATTEMPT, Integer.toString(receiveCount(message))))) {
                    outcome = process(message, remainingMillis);
                    if (outcome == Outcome.REQUEUED) {
                        delayRedelivery(message);
                    }
                }
                if (outcome != Outcome.DONE) {
                    failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
                }
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /**
     * Runs the message's task, if it holds one (null when it holds none): a transient failure leaves it to the queue
     * (and on the last delivery to the DLQ), a permanent one ends it, as for a record.
     */
    private Outcome runTask(SQSEvent.SQSMessage message, int delivery) {
        boolean ran;
        try {
            ran = tasks.run(message.getBody());
        } catch (RuntimeException e) {
            metrics.received(0);
            Failure failure = Failures.classify(e, stageName);
            if (failure.permanent()) {
                LOG.errorf(e, "Message %s: its task failed for good, not retried: %s", message.getMessageId(), failure.reason());
                metrics.failed();
                return Outcome.DONE;
            }
            LOG.errorf(e, "Message %s: its task failed on delivery %d of %d", message.getMessageId(), delivery, maxReceiveCount);
            if (delivery >= maxReceiveCount) {
                metrics.deadLettered();
                return Outcome.DEAD_LETTERED;
            }
            metrics.requeued();
            return Outcome.REQUEUED;
        }
        if (!ran) {
            return null;
        }
        metrics.received(0);
        metrics.succeeded(0, 0, 0);
        return Outcome.DONE;
    }

    /** How a message ended: done with (processed, or ended for good), or left to the queue for another delivery or the DLQ. */
    private enum Outcome { DONE, REQUEUED, DEAD_LETTERED }

    /**
     * Hides a message left to the queue for the backoff of its receive count. The message is in the batch response
     * whatever happens here: a failed change leaves it to the queue's visibility timeout, later but not lost.
     */
    private void delayRedelivery(SQSEvent.SQSMessage message) {
        if (redelivery.isNone() || receiveCount(message) >= maxReceiveCount // the last delivery: the DLQ takes it as it is
                || message.getEventSourceArn() == null || message.getReceiptHandle() == null) {
            return;
        }
        Duration delay = redelivery.delayAfter(receiveCount(message), random);
        try {
            redelivery.queue().delay(message.getEventSourceArn(), message.getReceiptHandle(), delay);
            LOG.infof("Message %s comes back in %d ms (backoff between deliveries)", message.getMessageId(), delay.toMillis());
        } catch (RuntimeException e) {
            LOG.warnf("Message %s: could not delay its next delivery (%s); it comes back after the queue's visibility timeout",
                    message.getMessageId(), Failures.summary(e));
        }
    }

    private Outcome process(SQSEvent.SQSMessage message, LongSupplier remainingMillis) {
        int delivery = receiveCount(message);
        Outcome task = runTask(message, delivery);
        if (task != null) {
            return task;
        }
        List<S3Notification> notifications;
        try {
            notifications = S3Notification.parse(message.getBody());
        } catch (RuntimeException e) {
            LOG.errorf("Message %s is not an S3 notification (%s); it goes to the dead-letter queue after %d deliveries",
                    message.getMessageId(), Failures.summary(e), maxReceiveCount);
            metrics.received(0);
            if (delivery >= maxReceiveCount) {
                metrics.deadLettered();
                return Outcome.DEAD_LETTERED;
            }
            metrics.requeued();
            return Outcome.REQUEUED;
        }
        for (int i = 0; i < notifications.size(); i++) {
            S3Notification notification = notifications.get(i);
            try (LogFields.Scope record = LogFields.put(documentFields(notification))) {
                long started = System.nanoTime();
                metrics.received(notification.size());
                Failure failure = attempt(notification, message.getMessageId(), delivery, remainingMillis);
                metrics.took(Duration.ofNanos(System.nanoTime() - started));
                if (failure == null) {
                    LOG.infof("Processed %s %s in %d ms", notification.eventName(), notification.key(),
                            (System.nanoTime() - started) / 1_000_000);
                    continue;
                }
                if (failure.permanent()) {
                    LOG.errorf(failure.cause(), "Message %s (%s): permanent failure, not retried: %s", message.getMessageId(),
                            notification.key(), failure.reason());
                    if (!end(notification, failure)) {
                        metrics.requeued();
                        return Outcome.REQUEUED; // the failure could not be recorded: let the queue try again
                    }
                    metrics.failed();
                    continue;
                }
                boolean last = delivery >= maxReceiveCount;
                LOG.errorf(failure.cause(), "Message %s (%s) failed on delivery %d of %d; %s", message.getMessageId(), notification.key(),
                        delivery, maxReceiveCount, last ? "giving up: it goes to the dead-letter queue" : "the queue delivers it again");
                if (last) {
                    metrics.deadLettered();
                    Failure exhausted = Failures.exhausted(failure, stageName, delivery);
                    // The later notifications of the same message never ran: they are given up with it.
                    for (S3Notification rest : notifications.subList(i, notifications.size())) {
                        try (LogFields.Scope restFields = LogFields.put(documentFields(rest))) {
                            end(rest, exhausted);
                        }
                    }
                    return Outcome.DEAD_LETTERED;
                }
                metrics.requeued();
                return Outcome.REQUEUED;
            }
        }
        return Outcome.DONE;
    }

    /** A record's fields; those its key does not name (an upload has no part, a delete no version) stay unset meanwhile. */
    private static Map<String, String> documentFields(S3Notification notification) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(LogFields.TENANT, null);
        fields.put(LogFields.DOCUMENT_ID, null);
        fields.put(LogFields.VERSION, null);
        fields.put(LogFields.PART, null);
        fields.put(LogFields.TRY, null);
        fields.putAll(LogFields.of(notification));
        return fields;
    }

    /**
     * Runs one notification with in-process retries of transient failures; null when it succeeded. Called inside the
     * record's {@link LogFields} scope, which also ends the {@code try} field set here.
     */
    private Failure attempt(S3Notification notification, String messageId, int delivery, LongSupplier remainingMillis) {
        for (int tryNumber = 1; ; tryNumber++) {
            Failure failure;
            long started = System.nanoTime();
            MDC.put(LogFields.TRY, Integer.toString(tryNumber)); // the record's scope removes it
            try (StageWork.Tally work = StageWork.start(); ModelUsage.Meter tokens = ModelUsage.start()) {
                stage.accept(notification);
                // Work is counted once, for the try that succeeded: a failed try's pages are read again.
                metrics.succeeded(work.pages(), work.chunks(), tokens.tokens().embedding());
                return null;
            } catch (RuntimeException | StackOverflowError | LinkageError | AssertionError e) {
                // Errors a record can cause (deep recursion in a parser, a missing class on one code path) fail
                // that record only; OutOfMemoryError and the like still end the invocation, as they should.
                failure = Failures.classify(e, stageName);
            }
            if (failure.permanent() || tryNumber >= backoff.attempts()) {
                return failure;
            }
            Duration wait = backoff.delay(tryNumber, random);
            long attemptMillis = (System.nanoTime() - started) / 1_000_000;
            if (remainingMillis.getAsLong() < wait.toMillis() + 2 * attemptMillis + 1000) {
                LOG.warnf("Message %s (%s): no time left in this invocation for another try; the queue delivers it again",
                        messageId, notification.key());
                return failure;
            }
            LOG.warnf("Message %s (%s) delivery %d, try %d: %s; retrying in %d ms", messageId, notification.key(), delivery,
                    tryNumber, Failures.summary(failure.cause()), wait.toMillis());
            metrics.retried();
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return failure;
            }
        }
    }

    private boolean end(S3Notification notification, Failure failure) {
        try {
            endDocument.end(notification, failure);
            return true;
        } catch (RuntimeException e) {
            // The message stays in the queue (and at worst in the DLQ, where it can be redriven).
            LOG.errorf(e, "Could not record the failure of %s", notification.key());
            return false;
        }
    }

    /** Lambda's SQS event carries ApproximateReceiveCount; a record without it counts as a first delivery. */
    static int receiveCount(SQSEvent.SQSMessage message) {
        Map<String, String> attributes = message.getAttributes();
        String count = attributes == null ? null : attributes.get("ApproximateReceiveCount");
        try {
            return count == null ? 1 : Integer.parseInt(count.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
