package dev.quarry.core.port;

import java.time.Duration;

/**
 * The queue a stage reads from, seen by the batch processor: a message left to the queue for another delivery
 * is hidden for a chosen time (SQS {@code ChangeMessageVisibility}) instead of the queue's own visibility timeout.
 */
public interface QueueVisibility {

    /**
     * Makes the message received with {@code receiptHandle} from the queue {@code eventSourceArn} visible again
     * after {@code delay}, counted from now.
     *
     * @throws RuntimeException when the queue refused or could not be reached; the message then keeps the
     *         queue's own visibility timeout
     */
    void delay(String eventSourceArn, String receiptHandle, Duration delay);
}
