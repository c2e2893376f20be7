package dev.quarry.testsupport;

import dev.quarry.core.port.QueueVisibility;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A queue that records each delayed redelivery, or fails every change, as the test says. */
public final class RecordingQueueVisibility implements QueueVisibility {

    /** One {@link #delay} call. */
    public record Change(String eventSourceArn, String receiptHandle, Duration delay) {
    }

    private final List<Change> changes = new CopyOnWriteArrayList<>();
    private volatile RuntimeException failure;

    @Override
    public void delay(String eventSourceArn, String receiptHandle, Duration delay) {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
        changes.add(new Change(eventSourceArn, receiptHandle, delay));
    }

    public List<Change> changes() {
        return List.copyOf(changes);
    }

    /** Every later change throws {@code failure}, as a queue that refuses or cannot be reached. */
    public void failWith(RuntimeException failure) {
        this.failure = failure;
    }

    public void reset() {
        changes.clear();
        failure = null;
    }
}
