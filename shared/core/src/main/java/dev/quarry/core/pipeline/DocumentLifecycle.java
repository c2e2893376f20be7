package dev.quarry.core.pipeline;

import dev.quarry.core.port.StatusStore;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;
import dev.quarry.model.ErrorCode;

import java.time.Clock;
import java.util.Optional;

/** Status transitions shared by the stages: only forward, only for the version being processed. */
public final class Documents {
    private final StatusStore statuses;
    private final Clock clock;

    public Documents(StatusStore statuses, Clock clock) {
        this.statuses = statuses;
        this.clock = clock;
    }

    /** True when this version is still the one to process (not replaced, deleted or finished as failed). */
    public boolean current(String documentId, String version) {
        return statuses.get(documentId)
                .filter(r -> version.equals(r.version()))
                .filter(r -> r.status() != DocumentStatus.DELETED && r.status() != DocumentStatus.FAILED)
                .isPresent();
    }

    /** Moves the version forward to {@code stage} unless it is already further along. */
    public void advance(String documentId, String version, DocumentStatus stage) {
        statuses.update(documentId, current -> current
                .filter(r -> version.equals(r.version()))
                .filter(r -> !r.status().terminal() && r.status().ordinal() < stage.ordinal())
                .map(r -> r.withStatus(stage, clock.instant())));
    }

    /**
     * Ends the version a notification belongs to as FAILED after its message failed on the last
     * delivery its queue allows, so a dead-lettered message never leaves a document in a working
     * state. Deletes and versions that were replaced or already finished are left as they are.
     */
    public void giveUp(String stage, S3Notification notification, Throwable cause, int attempts) {
        String documentId;
        String version;
        if (notification.key().startsWith(Keys.DOCUMENTS)) {
            Keys.DocumentKey doc = Keys.parseDocument(notification.key());
            if (doc == null || !notification.created()) {
                return;
            }
            documentId = doc.documentId();
            version = notification.eTag();
        } else {
            Keys.WorkKey work = Keys.parseWork(notification.key());
            if (work == null) {
                return;
            }
            documentId = work.documentId();
            version = work.version();
        }
        String reason = "The " + stage + " stage failed " + attempts + (attempts == 1 ? " time" : " times") + " ("
                + summary(cause) + "); its message was moved to the dead-letter queue. Upload the PDF again once the cause is fixed.";
        statuses.update(documentId, current -> current
                .filter(r -> version != null && version.equals(r.version()))
                .filter(r -> !r.status().terminal())
                .map(r -> r.failed(ErrorCode.INTERNAL, reason, clock.instant())));
    }

    private static String summary(Throwable cause) {
        String message = cause.getMessage() == null ? "" : ": " + cause.getMessage().strip();
        String text = cause.getClass().getSimpleName() + message;
        return text.length() <= 300 ? text : text.substring(0, 297) + "...";
    }

    public Optional<DocumentRecord> get(String documentId) {
        return statuses.get(documentId);
    }

    public StatusStore store() {
        return statuses;
    }

    public Clock clock() {
        return clock;
    }
}
