package dev.quarry.core.pipeline;

import dev.quarry.core.port.Failures.Failure;
import dev.quarry.core.port.ObjectStore;
import dev.quarry.core.port.PermanentException;
import dev.quarry.core.port.StatusStore;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;
import dev.quarry.model.ErrorCode;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The one owner of a document's status record. Every transition of the pipeline and the API goes through here:
 * <pre>
 *   (none) | DELETED | never uploaded (QUEUED, or FAILED UPLOAD_EXPIRED) --created (API, before its bytes)--> QUEUED
 *   QUEUED never uploaded, its upload URL expired --expireUpload (index stage, on the API's delayed message)-->
 *       FAILED UPLOAD_EXPIRED; until that message comes, the API reads it so (asRead)
 *   (none) | any status --start (a newer upload)--> EXTRACTING
 *   EXTRACTING --advance--> CHUNKING --advance--> EMBEDDING --advance--> INDEXING   (forward only)
 *   working --complete--> READY, or FAILED NO_TEXT when the version has no chunk
 *   working --fail--> FAILED (code and reason)
 *   FAILED UNAVAILABLE --its dead-lettered message redriven, every part in--> READY
 *   any --delete (not older than the record's upload)--> DELETED
 *   never uploaded --deleted before upload (API)--> DELETED
 * </pre>
 * Guards, the same for every transition of a version: it applies only while that version is the record's
 * version (a replaced version never touches its successor's record) and the record is not terminal
 * (READY, FAILED and DELETED end a version; only a new upload or a delete starts or ends another story).
 * Each transition is one atomic {@link StatusStore#update}.
 */
public final class DocumentLifecycle {
    private static final int MAX_WARNINGS = 50;
    /** How long the upload URL the API hands out is valid. */
    public static final Duration UPLOAD_URL_TTL = Duration.ofMinutes(15);
    /** An upload started just before its URL expired may still be arriving: the API waits this long before it reads it expired. */
    public static final Duration UPLOAD_GRACE = Duration.ofMinutes(5);

    private final StatusStore statuses;
    private final Clock clock;

    public DocumentLifecycle(StatusStore statuses, Clock clock) {
        this.statuses = statuses;
        this.clock = clock;
    }

    /**
     * A document created through the API before its bytes arrive: a fresh QUEUED record when there is none, when it
     * was deleted, or when its earlier upload never arrived (the new upload URL starts its clock again); any other
     * record is left as it is. Returns the record as stored.
     */
    public DocumentRecord created(Keys.DocumentKey doc, String key) {
        return statuses.update(doc.documentId(), current -> current.isPresent()
                && current.get().status() != DocumentStatus.DELETED
                && !awaitingUpload(current.get())
                ? Optional.empty()
                : Optional.of(DocumentRecord.queued(doc.documentId(), doc.tenant(), doc.name(), key, clock.instant())))
                .orElseThrow();
    }

    /**
     * A document whose bytes never arrived is DELETED at once, since no S3 event will follow to end it; one whose
     * upload started meanwhile is left to the pipeline's delete. Returns true when this ended it.
     */
    public boolean deletedBeforeUpload(String documentId) {
        boolean[] ended = {false};
        statuses.update(documentId, current -> current.filter(DocumentLifecycle::awaitingUpload).map(r -> {
            ended[0] = true;
            return r.deleted(r.sequencer(), clock.instant());
        }));
        return ended[0];
    }

    /**
     * The record as the API shows it: one created through the API whose bytes never arrived is not left QUEUED
     * forever; once its upload URL has expired ({@code uploadUrlTtl} after it was created, plus {@code grace} for an
     * upload in flight) it reads as FAILED UPLOAD_EXPIRED with the reason and what to do, also when the index stage's
     * look at it (expireUpload) has not come (its message could not be sent). Nothing is stored here: the
     * record turns EXTRACTING if the upload comes after all.
     */
    public DocumentRecord asRead(DocumentRecord r, Duration uploadUrlTtl, Duration grace) {
        if (neverUploaded(r) && r.updatedAt().plus(uploadUrlTtl).plus(grace).isBefore(clock.instant())) {
            return r.failed(ErrorCode.UPLOAD_EXPIRED, expiredReason(r, uploadUrlTtl), r.updatedAt());
        }
        return r;
    }

    /** QUEUED by the API and no version yet: its bytes never arrived. */
    private static boolean neverUploaded(DocumentRecord r) {
        return r.status() == DocumentStatus.QUEUED && r.version() == null;
    }

    /** Created through the API and no bytes came: still QUEUED, or ended FAILED UPLOAD_EXPIRED. */
    private static boolean awaitingUpload(DocumentRecord r) {
        return r.version() == null && (r.status() == DocumentStatus.QUEUED
                || r.status() == DocumentStatus.FAILED && r.errorCode() == ErrorCode.UPLOAD_EXPIRED);
    }

    /**
     * Ends a document created through the API as FAILED UPLOAD_EXPIRED in the store when its bytes never came and its
     * upload URL has expired ({@link #UPLOAD_URL_TTL} after the record was created or given a fresh URL). Anything else
     * is left as it is: an upload that arrived, a fresh URL handed out since, a delete. An upload that arrives after
     * all still starts the document (see {@link #start}). Returns true when this ended it.
     */
    public boolean expireUpload(String documentId) {
        boolean[] ended = {false};
        statuses.update(documentId, current -> current
                .filter(r -> neverUploaded(r) && !r.updatedAt().plus(UPLOAD_URL_TTL).isAfter(clock.instant()))
                .map(r -> {
                    ended[0] = true;
                    return r.failed(ErrorCode.UPLOAD_EXPIRED, expiredReason(r, UPLOAD_URL_TTL), clock.instant());
                }));
        return ended[0];
    }

    private static String expiredReason(DocumentRecord r, Duration uploadUrlTtl) {
        return "No upload arrived before the upload URL expired (" + r.updatedAt().plus(uploadUrlTtl) + "). Create the "
                + "document again (POST /v1/documents) and PUT the PDF to the new URL.";
    }

    /** What {@link #start} did with an upload event. */
    public enum Start {
        /** The version is now the record's, EXTRACTING. */
        STARTED,
        /** The same upload event again, already planned (or rejected): nothing to redo. */
        REPLAY,
        /** An older event than the one the record holds (another upload or a delete followed). */
        STALE
    }

    /**
     * An upload of {@code doc} as {@code version} (its eTag) at S3 event {@code sequencer}: creates the record
     * or starts the new version over (progress reset, identity and createdAt kept), from any status.
     */
    public Start start(Keys.DocumentKey doc, String key, String version, String sequencer, long size) {
        Start[] outcome = {Start.STARTED};
        Optional<DocumentRecord> after = statuses.update(doc.documentId(), current -> {
            if (current.isPresent() && current.get().sequencer() != null
                    && S3Notification.compareSequencers(current.get().sequencer(), sequencer) > 0) {
                outcome[0] = Start.STALE;
                return null;
            }
            if (current.isPresent() && isReplay(current.get(), version, sequencer)) {
                outcome[0] = Start.REPLAY;
                return null;
            }
            DocumentRecord base = current.orElseGet(() -> DocumentRecord.queued(doc.documentId(), doc.tenant(), doc.name(), key,
                    clock.instant()));
            return Optional.of(base.newVersion(version, sequencer, size, clock.instant()));
        });
        if (outcome[0] == Start.STARTED && after.filter(r -> version.equals(r.version())).isEmpty()) {
            return Start.STALE;
        }
        if (outcome[0] == Start.STARTED) {
            // Part markers are per version, and the same bytes uploaded again are the same version: markers of the
            // earlier run would count as this run's parts and end it READY before its own parts are in.
            statuses.deleteParts(doc.documentId());
        }
        return outcome[0];
    }

    /**
     * The same upload event delivered again (same version and sequencer). A new upload of the same bytes has
     * a newer sequencer and is processed again, also after a delete or a failure. An attempt that failed
     * before writing its range tasks has parts == 0 and is started again.
     */
    static boolean isReplay(DocumentRecord current, String version, String sequencer) {
        return version.equals(current.version())
                && current.status() != DocumentStatus.DELETED
                && current.errorCode() != ErrorCode.UNAVAILABLE // dead-lettered, now redriven: start it again
                && (sequencer == null || sequencer.equals(current.sequencer()))
                && (current.parts() > 0 || current.status() == DocumentStatus.FAILED);
    }

    /**
     * True when this version is still the one to process: not replaced, deleted or failed for good. A version
     * that failed UNAVAILABLE (a service kept failing until a message of it was dead-lettered) is still
     * processed: its other parts go on, so that once that message is redriven the version can complete.
     */
    public boolean current(String documentId, String version) {
        return statuses.get(documentId)
                .filter(r -> version.equals(r.version()))
                .filter(r -> r.status() != DocumentStatus.DELETED && (r.status() != DocumentStatus.FAILED || resumable(r)))
                .isPresent();
    }

    /** FAILED UNAVAILABLE: ended by an outage, not by the document; its redriven message may still complete it. */
    private static boolean resumable(DocumentRecord r) {
        return r.status() == DocumentStatus.FAILED && r.errorCode() == ErrorCode.UNAVAILABLE;
    }

    /**
     * True when {@code version} is the one search shows for the document (its {@code liveVersion}): the same bytes
     * run again, or a part of a READY version delivered again. Its chunks are written searchable; any other
     * version's are written hidden until it completes.
     */
    public boolean searchable(String documentId, String version) {
        return statuses.get(documentId)
                .filter(r -> version.equals(r.liveVersion()) && r.status() != DocumentStatus.DELETED)
                .isPresent();
    }

    /** True while this version is the record's and still in the pipeline (not READY, FAILED or DELETED). */
    public boolean working(String documentId, String version) {
        return statuses.get(documentId).filter(r -> version.equals(r.version()) && !r.status().terminal()).isPresent();
    }

    /**
     * What a stage does when a work file it was notified of is gone: nothing while the version was replaced,
     * deleted or finished meanwhile (a delete removes the work files first); for a version still in the
     * pipeline it is a permanent failure, which ends the version FAILED with the reason.
     */
    public void missingWorkFile(String documentId, String version, String stage, ObjectStore.ObjectMissingException missing) {
        if (working(documentId, version)) {
            throw new PermanentException(ErrorCode.INTERNAL, "A work file of this version is missing (" + missing.getMessage()
                    + "), so the " + stage + " stage cannot go on. Upload the PDF again.", missing);
        }
    }

    /** The version's pages are counted and split into parts; the status stays as it is. */
    public void planned(String documentId, String version, int pages, int parts, String title, String author) {
        change(documentId, version, r -> r.planned(pages, parts, title, author, clock.instant()));
    }

    /** Moves the version forward to {@code stage} unless it is already there or further along. */
    public void advance(String documentId, String version, DocumentStatus stage) {
        if (stage.terminal() || stage == DocumentStatus.QUEUED) {
            throw new IllegalArgumentException(stage + " is not a working stage; use complete, fail or deleted");
        }
        change(documentId, version, r -> r.status().ordinal() < stage.ordinal() ? r.withStatus(stage, clock.instant()) : null);
    }

    /** Adds warnings (distinct, at most 50) to the version's record. */
    public void warn(String documentId, String version, List<String> warnings) {
        if (warnings.isEmpty()) {
            return;
        }
        change(documentId, version, r -> r.withWarnings(Stream.concat(r.warnings().stream(), warnings.stream()).distinct()
                .limit(MAX_WARNINGS).toList(), clock.instant()));
    }

    /** Where a version stands after one of its parts was indexed. */
    public enum Progress {
        /** Every part is in: complete the version. */
        ALL_PARTS_DONE,
        /** Parts are still missing. */
        IN_PROGRESS,
        /** The document was deleted meanwhile: nothing of it may stay searchable. */
        DELETED,
        /** Another version replaced it, or it ended already. */
        NOT_CURRENT
    }

    /** Records that {@code part} of the version is indexed (idempotent) and says what follows. */
    public Progress partIndexed(String documentId, String version, int part) {
        return partIndexed(documentId, version, part, 0);
    }

    /** Records that {@code part} of the version is indexed, with the tokens its embedding read (idempotent), and says what follows. */
    public Progress partIndexed(String documentId, String version, int part, long embeddingTokens) {
        int done = statuses.markPartDone(documentId, version, part, embeddingTokens);
        Optional<DocumentRecord> rec = statuses.update(documentId, current -> current
                .filter(r -> version.equals(r.version()) && (!r.status().terminal() || resumable(r)))
                .map(r -> r.progress(Math.min(done, r.parts()), clock.instant())));
        if (rec.filter(r -> r.status() == DocumentStatus.DELETED).isPresent()) {
            return Progress.DELETED;
        }
        if (rec.isEmpty() || !version.equals(rec.get().version()) || rec.get().status().terminal() && !resumable(rec.get())) {
            return Progress.NOT_CURRENT;
        }
        return done >= rec.get().parts() ? Progress.ALL_PARTS_DONE : Progress.IN_PROGRESS;
    }

    /**
     * Ends the version READY with its chunk count and the embedding tokens of its parts, or FAILED NO_TEXT when no page had text; also a version that
     * failed UNAVAILABLE, once its redriven message brought in the last part.
     */
    public void complete(String documentId, String version, int chunks) {
        long embeddingTokens = statuses.embeddingTokens(documentId, version);
        statuses.update(documentId, current -> current
                .filter(r -> version.equals(r.version()) && (!r.status().terminal() || resumable(r)))
                .map(r -> chunks == 0
                        ? r.failed(ErrorCode.NO_TEXT, noTextReason(r), clock.instant())
                        : r.ready(chunks, r.warnings(), clock.instant()).withEmbeddingTokens(embeddingTokens)));
    }

    /**
     * Why a version yielded no chunk: no text layer, unless pages could not be read at all (the extractor's warnings
     * say why, e.g. a page that draws far more characters than any real page), which OCR would not fix.
     */
    private static String noTextReason(DocumentRecord r) {
        if (r.warnings().isEmpty()) {
            return "No text could be extracted from any of the " + r.pages()
                    + " pages: the PDF has no text layer (a scan or images only). Run OCR on it and upload again.";
        }
        return "No text could be extracted from any of the " + r.pages() + " pages. " + r.warnings().getFirst()
                + (r.warnings().size() > 1 ? " (and " + (r.warnings().size() - 1) + " more warnings)" : "");
    }

    /** Ends the version FAILED with a code and a reason written for the person who uploaded it. */
    public void fail(String documentId, String version, ErrorCode code, String reason) {
        change(documentId, version, r -> r.failed(code, reason, clock.instant()));
    }

    /**
     * Ends the version a notification belongs to (an upload: its eTag; a work file: the version in its key)
     * as FAILED with the failure's code and reason. Deletes, foreign keys and versions that were replaced or
     * already finished are left as they are.
     */
    public void fail(S3Notification notification, Failure failure) {
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
        if (version != null) {
            fail(documentId, version, failure.code(), failure.reason());
        }
    }

    /** True when the record holds a newer upload than the delete event at {@code sequencer}. */
    public boolean deleteIsStale(String documentId, String sequencer) {
        return statuses.get(documentId).filter(r -> newer(r, sequencer)).isPresent();
    }

    /** Marks the document DELETED unless an upload newer than the delete event started meanwhile. */
    public void deleted(String documentId, String sequencer) {
        statuses.update(documentId, current -> current.filter(r -> !newer(r, sequencer))
                .map(r -> r.deleted(sequencer, clock.instant())));
    }

    private static boolean newer(DocumentRecord r, String sequencer) {
        return r.sequencer() != null && S3Notification.compareSequencers(r.sequencer(), sequencer) > 0;
    }

    /** Applies {@code change} (null: leave it) when the record holds {@code version} and is not terminal. */
    private void change(String documentId, String version, java.util.function.UnaryOperator<DocumentRecord> change) {
        statuses.update(documentId, current -> current
                .filter(r -> version != null && version.equals(r.version()) && !r.status().terminal())
                .map(change));
    }

    /** Forgets which parts of the document were indexed (after a delete). */
    public void forgetParts(String documentId) {
        statuses.deleteParts(documentId);
    }

    public Optional<DocumentRecord> get(String documentId) {
        return statuses.get(documentId);
    }
}
