package dev.quarry.core.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.quarry.core.pipeline.S3Notification;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Processes an SQS batch of S3 notifications record by record: a record that throws is reported
 * in {@code batchItemFailures} (so only it is retried, and after maxReceiveCount it lands in the
 * DLQ) and the others go on. Bad documents never throw: the stages end them with a FAILED status.
 * <p>
 * On the last delivery the queue allows ({@code ApproximateReceiveCount >= maxReceiveCount}) a
 * record that still fails is given up: the {@link GiveUp} hook ends its document with a reason, so
 * a document whose message is dead-lettered never stays in a working state.
 */
public final class S3EventBatchProcessor {
    private static final Logger LOG = Logger.getLogger(S3EventBatchProcessor.class);

    /** What to do with a notification that failed on its last allowed delivery. */
    @FunctionalInterface
    public interface GiveUp {
        void giveUp(S3Notification notification, Throwable cause, int attempts);
    }

    private final Consumer<S3Notification> stage;
    private final int maxReceiveCount;
    private final GiveUp giveUp;

    public S3EventBatchProcessor(Consumer<S3Notification> stage, int maxReceiveCount, GiveUp giveUp) {
        if (maxReceiveCount < 1) {
            throw new IllegalArgumentException("maxReceiveCount must be at least 1, was " + maxReceiveCount);
        }
        this.stage = stage;
        this.maxReceiveCount = maxReceiveCount;
        this.giveUp = giveUp;
    }

    public SQSBatchResponse process(SQSEvent event) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        List<SQSEvent.SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        for (SQSEvent.SQSMessage message : records) {
            List<S3Notification> notifications = List.of();
            S3Notification current = null;
            try {
                notifications = S3Notification.parse(message.getBody());
                for (S3Notification notification : notifications) {
                    current = notification;
                    stage.accept(notification);
                }
            } catch (RuntimeException | StackOverflowError | LinkageError | AssertionError e) {
                // Errors a record can cause (deep recursion in a parser, a missing class on one code path) fail
                // that record only; OutOfMemoryError and the like still end the invocation, as they should.
                int attempts = receiveCount(message);
                boolean last = attempts >= maxReceiveCount;
                LOG.errorf(e, "Message %s failed on delivery %d of %d; %s", message.getMessageId(), attempts, maxReceiveCount,
                        last ? "giving up: it goes to the dead-letter queue" : "it will be retried");
                if (last && current != null) {
                    giveUpQuietly(current, e, attempts);
                    // The later notifications of the same message never ran: they are given up with it.
                    for (S3Notification rest : notifications.subList(notifications.indexOf(current) + 1, notifications.size())) {
                        giveUpQuietly(rest, e, attempts);
                    }
                }
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    private void giveUpQuietly(S3Notification notification, Throwable cause, int attempts) {
        try {
            giveUp.giveUp(notification, cause, attempts);
        } catch (RuntimeException e) {
            // The message still goes to the DLQ, where it can be redriven; the status stays as it was.
            LOG.errorf(e, "Could not record the failure of %s", notification.key());
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
