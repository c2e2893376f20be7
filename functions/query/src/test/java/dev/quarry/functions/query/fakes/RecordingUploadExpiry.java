package dev.quarry.functions.query.fakes;

import dev.quarry.core.port.UploadExpiry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the upload expiries the API schedules (the SQS adapter is tested against the stack's queue). */
public final class RecordingUploadExpiry implements UploadExpiry {
    public record Scheduled(String documentId, Duration after) {
    }

    private final List<Scheduled> scheduled = new CopyOnWriteArrayList<>();

    @Override
    public void schedule(String documentId, Duration after) {
        scheduled.add(new Scheduled(documentId, after));
    }

    public List<Scheduled> scheduled() {
        return List.copyOf(scheduled);
    }

    public void clear() {
        scheduled.clear();
    }
}
