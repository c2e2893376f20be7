package dev.quarry.core.pipeline;

import dev.quarry.core.port.StatusStore;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;

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
