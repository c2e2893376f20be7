package dev.quarry.core.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.quarry.core.pipeline.S3Notification;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Processes an SQS batch of S3 notifications record by record: a record that throws is reported
 * in {@code batchItemFailures} (so only it is retried, and after maxReceiveCount it lands in the
 * DLQ) and the others go on. Bad documents never throw: the stages end them with a FAILED status.
 */
public final class S3EventBatchProcessor {
    private static final Logger LOG = Logger.getLogger(S3EventBatchProcessor.class);

    private final Consumer<S3Notification> stage;

    public S3EventBatchProcessor(Consumer<S3Notification> stage) {
        this.stage = stage;
    }

    public SQSBatchResponse process(SQSEvent event) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        List<SQSEvent.SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        for (SQSEvent.SQSMessage message : records) {
            try {
                for (S3Notification notification : S3Notification.parse(message.getBody())) {
                    stage.accept(notification);
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "Message %s failed (receive count %s); it will be retried, then dead-lettered",
                        message.getMessageId(), message.getAttributes() == null ? "?" : message.getAttributes().get("ApproximateReceiveCount"));
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }
}
