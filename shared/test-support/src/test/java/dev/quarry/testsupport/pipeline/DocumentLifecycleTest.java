package dev.quarry.testsupport.pipeline;

import dev.quarry.core.pipeline.DocumentLifecycle;
import dev.quarry.core.pipeline.DocumentLifecycle.Progress;
import dev.quarry.core.pipeline.DocumentLifecycle.Start;
import dev.quarry.core.pipeline.Keys;
import dev.quarry.core.port.Failures;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;
import dev.quarry.model.ErrorCode;
import dev.quarry.testsupport.InMemoryStatusStore;
import dev.quarry.testsupport.S3Events;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every transition of a document's status, and the version and terminal-state guards each one keeps. */
class DocumentLifecycleTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:01:00Z");
    private static final Keys.DocumentKey DOC = Keys.parseDocument(Keys.document("acme", "manual.pdf"));
    private static final String ID = DOC.documentId();
    private static final String KEY = Keys.document("acme", "manual.pdf");
    private static final String V1 = "version-one";
    private static final String V2 = "version-two";

    private final InMemoryStatusStore statuses = new InMemoryStatusStore();
    private final DocumentLifecycle lifecycle = new DocumentLifecycle(statuses, Clock.fixed(NOW, ZoneOffset.UTC));

    private DocumentRecord record() {
        return statuses.get(ID).orElseThrow();
    }

    private void startedAndPlanned(String version, String sequencer, int parts) {
        assertThat(lifecycle.start(DOC, KEY, version, sequencer, 1000)).isEqualTo(Start.STARTED);
        lifecycle.planned(ID, version, 10 * parts, parts, "Manual", "ACME");
    }

    @Test
    void an_upload_creates_the_record_extracting() {
        assertThat(lifecycle.start(DOC, KEY, V1, "0001", 1000)).isEqualTo(Start.STARTED);

        assertThat(record()).extracting(DocumentRecord::status, DocumentRecord::version, DocumentRecord::sequencer, DocumentRecord::tenant,
                DocumentRecord::sizeBytes, DocumentRecord::createdAt).containsExactly(DocumentStatus.EXTRACTING, V1, "0001", "acme", 1000L, NOW);
    }

    @Test
    void a_queued_record_from_the_api_is_started_by_its_upload() {
        statuses.put(DocumentRecord.queued(ID, "acme", "manual.pdf", KEY, NOW.minusSeconds(30)));

        assertThat(lifecycle.start(DOC, KEY, V1, "0001", 1000)).isEqualTo(Start.STARTED);

        assertThat(record().status()).isEqualTo(DocumentStatus.EXTRACTING);
        assertThat(record().createdAt()).as("identity and createdAt stay").isEqualTo(NOW.minusSeconds(30));
    }

    @Test
    void search_shows_the_last_version_to_end_ready_through_newer_uploads_and_failures_until_a_delete() {
        startedAndPlanned(V1, "0001", 1);
        assertThat(lifecycle.searchable(ID, V1)).as("V1 before it is ready").isFalse();
        lifecycle.partIndexed(ID, V1, 0);
        lifecycle.complete(ID, V1, 20);
        assertThat(record().liveVersion()).isEqualTo(V1);
        assertThat(lifecycle.searchable(ID, V1)).isTrue();

        startedAndPlanned(V2, "0002", 2);
        assertThat(record().liveVersion()).as("while V2 runs").isEqualTo(V1);
        assertThat(lifecycle.searchable(ID, V2)).isFalse();
        lifecycle.fail(ID, V2, ErrorCode.NO_TEXT, "No text");
        assertThat(record().liveVersion()).as("after V2 failed").isEqualTo(V1);
        assertThat(lifecycle.searchable(ID, V1)).isTrue();

        startedAndPlanned(V1, "0003", 1);
        assertThat(lifecycle.searchable(ID, V1)).as("the same bytes as V1 uploaded again").isTrue();

        lifecycle.deleted(ID, "0004");
        assertThat(record().liveVersion()).isNull();
        assertThat(lifecycle.searchable(ID, V1)).isFalse();
    }

    @Test
    void the_same_upload_event_again_is_a_replay_once_planned_and_an_older_one_is_stale() {
        assertThat(lifecycle.start(DOC, KEY, V1, "0005", 1000)).isEqualTo(Start.STARTED);
        assertThat(lifecycle.start(DOC, KEY, V1, "0005", 1000)).as("not planned yet: started again").isEqualTo(Start.STARTED);
        lifecycle.planned(ID, V1, 10, 1, null, null);

        assertThat(lifecycle.start(DOC, KEY, V1, "0005", 1000)).isEqualTo(Start.REPLAY);
        assertThat(lifecycle.start(DOC, KEY, V2, "0004", 1000)).isEqualTo(Start.STALE);
        assertThat(record().version()).isEqualTo(V1);
    }

    @Test
    void the_same_bytes_uploaded_again_count_their_own_parts_not_the_earlier_runs() {
        startedAndPlanned(V1, "0001", 2);
        lifecycle.partIndexed(ID, V1, 0);
        assertThat(lifecycle.partIndexed(ID, V1, 1)).isEqualTo(DocumentLifecycle.Progress.ALL_PARTS_DONE);
        lifecycle.complete(ID, V1, 20);

        startedAndPlanned(V1, "0002", 2); // same eTag, newer upload

        assertThat(lifecycle.partIndexed(ID, V1, 0)).as("one of this run's two parts").isEqualTo(DocumentLifecycle.Progress.IN_PROGRESS);
        assertThat(record().status()).isNotEqualTo(DocumentStatus.READY);
        assertThat(lifecycle.partIndexed(ID, V1, 1)).isEqualTo(DocumentLifecycle.Progress.ALL_PARTS_DONE);
    }

    @Test
    void a_newer_upload_starts_over_from_every_terminal_status() {
        for (DocumentStatus end : List.of(DocumentStatus.READY, DocumentStatus.FAILED, DocumentStatus.DELETED)) {
            statuses.put(DocumentRecord.queued(ID, "acme", "manual.pdf", KEY, NOW).newVersion(V1, "0001", 5, NOW)
                    .planned(10, 1, null, null, NOW).withStatus(end, NOW));

            assertThat(lifecycle.start(DOC, KEY, V2, "0002", 7)).as("after %s", end).isEqualTo(Start.STARTED);

            assertThat(record()).extracting(DocumentRecord::status, DocumentRecord::version, DocumentRecord::parts, DocumentRecord::sizeBytes)
                    .containsExactly(DocumentStatus.EXTRACTING, V2, 0, 7L);
        }
    }

    @Test
    void the_same_bytes_uploaded_again_after_a_failure_start_over_under_a_newer_sequencer() {
        startedAndPlanned(V1, "0001", 1);
        lifecycle.fail(ID, V1, ErrorCode.TIMEOUT, "Too slow.");

        assertThat(lifecycle.start(DOC, KEY, V1, "0001", 1000)).as("a replay of the failed upload").isEqualTo(Start.REPLAY);
        assertThat(lifecycle.start(DOC, KEY, V1, "0002", 1000)).isEqualTo(Start.STARTED);
        assertThat(record().status()).isEqualTo(DocumentStatus.EXTRACTING);
    }

    @Test
    void planning_records_pages_parts_title_and_author_without_moving_the_status() {
        startedAndPlanned(V1, "0001", 3);

        assertThat(record()).extracting(DocumentRecord::status, DocumentRecord::pages, DocumentRecord::parts, DocumentRecord::title,
                DocumentRecord::author).containsExactly(DocumentStatus.EXTRACTING, 30, 3, "Manual", "ACME");
    }

    @Test
    void stages_only_move_forward() {
        startedAndPlanned(V1, "0001", 1);

        lifecycle.advance(ID, V1, DocumentStatus.EMBEDDING);
        assertThat(record().status()).isEqualTo(DocumentStatus.EMBEDDING);
        lifecycle.advance(ID, V1, DocumentStatus.CHUNKING);
        assertThat(record().status()).as("a late chunk of another part does not move it back").isEqualTo(DocumentStatus.EMBEDDING);
        lifecycle.advance(ID, V1, DocumentStatus.INDEXING);
        assertThat(record().status()).isEqualTo(DocumentStatus.INDEXING);
        assertThatThrownBy(() -> lifecycle.advance(ID, V1, DocumentStatus.READY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void no_transition_touches_another_version_or_a_terminal_record() {
        startedAndPlanned(V2, "0002", 1);
        DocumentRecord before = record();

        lifecycle.advance(ID, V1, DocumentStatus.INDEXING);
        lifecycle.warn(ID, V1, List.of("old"));
        lifecycle.complete(ID, V1, 5);
        lifecycle.fail(ID, V1, ErrorCode.INTERNAL, "old");
        lifecycle.planned(ID, V1, 99, 9, null, null);
        assertThat(record()).as("a replaced version never touches its successor").isEqualTo(before);

        lifecycle.complete(ID, V2, 4);
        DocumentRecord ready = record();
        lifecycle.advance(ID, V2, DocumentStatus.INDEXING);
        lifecycle.fail(ID, V2, ErrorCode.INTERNAL, "late replay");
        lifecycle.warn(ID, V2, List.of("late"));
        lifecycle.complete(ID, V2, 9);
        assertThat(record()).as("READY ends the version").isEqualTo(ready);
    }

    @Test
    void warnings_are_merged_distinct_and_bounded() {
        startedAndPlanned(V1, "0001", 2);

        lifecycle.warn(ID, V1, List.of("page 3 has no text", "page 4 has no text"));
        lifecycle.warn(ID, V1, List.of("page 4 has no text", "page 9 has no text"));
        lifecycle.warn(ID, V1, java.util.stream.IntStream.range(0, 80).mapToObj(i -> "w" + i).toList());

        assertThat(record().warnings()).startsWith("page 3 has no text", "page 4 has no text", "page 9 has no text").hasSize(50);
    }

    @Test
    void parts_count_up_to_all_done_then_the_version_completes_ready() {
        startedAndPlanned(V1, "0001", 2);
        lifecycle.advance(ID, V1, DocumentStatus.INDEXING);

        assertThat(lifecycle.partIndexed(ID, V1, 1)).isEqualTo(Progress.IN_PROGRESS);
        assertThat(lifecycle.partIndexed(ID, V1, 1)).as("a replayed part counts once").isEqualTo(Progress.IN_PROGRESS);
        assertThat(record().partsDone()).isEqualTo(1);
        assertThat(lifecycle.partIndexed(ID, V1, 0)).isEqualTo(Progress.ALL_PARTS_DONE);

        lifecycle.complete(ID, V1, 12);

        assertThat(record()).extracting(DocumentRecord::status, DocumentRecord::chunks, DocumentRecord::partsDone, DocumentRecord::errorCode)
                .containsExactly(DocumentStatus.READY, 12, 2, null);
    }

    @Test
    void a_ready_version_carries_the_embedding_tokens_of_its_parts_each_once_and_a_new_version_starts_at_none() {
        startedAndPlanned(V1, "0001", 2);
        lifecycle.partIndexed(ID, V1, 0, 300);
        lifecycle.partIndexed(ID, V1, 0, 300); // replayed
        lifecycle.partIndexed(ID, V1, 1, 45);
        lifecycle.complete(ID, V1, 12);

        assertThat(record().status()).isEqualTo(DocumentStatus.READY);
        assertThat(record().embeddingTokens()).isEqualTo(345);

        assertThat(lifecycle.start(DOC, KEY, V2, "0002", 2000)).isEqualTo(Start.STARTED);
        assertThat(record().embeddingTokens()).isZero();
    }

    @Test
    void a_version_without_any_chunk_completes_failed_no_text_with_a_reason() {
        startedAndPlanned(V1, "0001", 1);

        lifecycle.complete(ID, V1, 0);

        assertThat(record()).extracting(DocumentRecord::status, DocumentRecord::errorCode).containsExactly(DocumentStatus.FAILED, ErrorCode.NO_TEXT);
        assertThat(record().reason()).contains("No text could be extracted from any of the 10 pages", "Run OCR");
    }

    @Test
    void a_version_whose_pages_could_not_be_read_says_why_instead_of_asking_for_ocr() {
        startedAndPlanned(V1, "0001", 1);
        lifecycle.warn(ID, V1, java.util.List.of("Page 1: skipped, it draws more than 200,000 characters (a real page draws a few"
                + " thousand); the file may be built to exhaust memory."));

        lifecycle.complete(ID, V1, 0);

        assertThat(record().errorCode()).isEqualTo(ErrorCode.NO_TEXT);
        assertThat(record().reason()).contains("No text could be extracted from any of the 10 pages", "draws more than 200,000 characters")
                .doesNotContain("OCR");
    }

    @Test
    void a_part_indexed_after_a_delete_or_a_replacement_says_so() {
        startedAndPlanned(V1, "0001", 2);
        lifecycle.deleted(ID, "0002");
        assertThat(lifecycle.partIndexed(ID, V1, 0)).isEqualTo(Progress.DELETED);

        startedAndPlanned(V2, "0003", 1);
        assertThat(lifecycle.partIndexed(ID, V1, 1)).isEqualTo(Progress.NOT_CURRENT);
        assertThat(record().partsDone()).isZero();
    }

    @Test
    void a_working_version_fails_with_its_code_and_reason_and_is_no_longer_current() {
        startedAndPlanned(V1, "0001", 1);
        assertThat(lifecycle.current(ID, V1)).isTrue();

        lifecycle.fail(ID, V1, ErrorCode.ENCRYPTED, "The PDF needs a password.");

        assertThat(record()).extracting(DocumentRecord::status, DocumentRecord::errorCode, DocumentRecord::reason, DocumentRecord::updatedAt)
                .containsExactly(DocumentStatus.FAILED, ErrorCode.ENCRYPTED, "The PDF needs a password.", NOW);
        assertThat(lifecycle.current(ID, V1)).isFalse();
        assertThat(lifecycle.current(ID, V2)).isFalse();
    }

    @Test
    void a_version_failed_unavailable_goes_on_and_completes_once_its_dead_lettered_part_is_redriven() {
        startedAndPlanned(V1, "0001", 2);
        lifecycle.fail(ID, V1, ErrorCode.UNAVAILABLE, "The embed stage kept failing on a service it needs through 3 deliveries");

        assertThat(lifecycle.current(ID, V1)).as("its other parts are still processed").isTrue();
        lifecycle.advance(ID, V1, DocumentStatus.INDEXING);
        assertThat(record().status()).as("it reads FAILED until it is READY").isEqualTo(DocumentStatus.FAILED);
        assertThat(lifecycle.partIndexed(ID, V1, 0)).isEqualTo(Progress.IN_PROGRESS);
        assertThat(lifecycle.partIndexed(ID, V1, 1)).as("the redriven part").isEqualTo(Progress.ALL_PARTS_DONE);

        lifecycle.complete(ID, V1, 7);

        assertThat(record()).extracting(DocumentRecord::status, DocumentRecord::errorCode, DocumentRecord::reason, DocumentRecord::chunks)
                .containsExactly(DocumentStatus.READY, null, null, 7);
    }

    @Test
    void a_version_failed_for_any_other_reason_is_final() {
        startedAndPlanned(V1, "0001", 1);
        lifecycle.fail(ID, V1, ErrorCode.ACCESS_DENIED, "403");

        assertThat(lifecycle.current(ID, V1)).isFalse();
        assertThat(lifecycle.partIndexed(ID, V1, 0)).isEqualTo(Progress.NOT_CURRENT);
        lifecycle.complete(ID, V1, 7);
        assertThat(record().status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(record().errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
    }

    @Test
    void an_upload_whose_planning_was_dead_lettered_is_planned_again_when_redriven() {
        startedAndPlanned(V1, "0001", 1);
        lifecycle.fail(ID, V1, ErrorCode.UNAVAILABLE, "S3 kept failing");

        assertThat(lifecycle.start(DOC, KEY, V1, "0001", 1000)).isEqualTo(Start.STARTED);
        assertThat(record().status()).isEqualTo(DocumentStatus.EXTRACTING);
        assertThat(record().errorCode()).isNull();
    }

    @Test
    void a_failed_notification_fails_the_version_it_names_upload_or_work_file() {
        startedAndPlanned(V1, "0001", 1);
        Failures.Failure bug = Failures.classify(new IllegalStateException("bug"), "chunk");

        lifecycle.fail(S3Events.created("bucket", Keys.work(Keys.EXTRACTED, "acme", ID, V2, 0), 1, "e", "9"), bug);
        assertThat(record().status()).as("another version's work file").isEqualTo(DocumentStatus.EXTRACTING);
        lifecycle.fail(S3Events.removed("bucket", KEY, "9"), bug);
        assertThat(record().status()).as("a delete event ends nothing").isEqualTo(DocumentStatus.EXTRACTING);

        lifecycle.fail(S3Events.created("bucket", KEY, 1000, V1, "0001"), bug);
        assertThat(record()).extracting(DocumentRecord::status, DocumentRecord::errorCode).containsExactly(DocumentStatus.FAILED, ErrorCode.INTERNAL);
        assertThat(record().reason()).startsWith("The chunk stage failed on a defect");
    }

    @Test
    void a_delete_ends_any_status_unless_a_newer_upload_followed_it() {
        startedAndPlanned(V1, "0005", 1);
        lifecycle.complete(ID, V1, 3);

        assertThat(lifecycle.deleteIsStale(ID, "0004")).isTrue();
        lifecycle.deleted(ID, "0004");
        assertThat(record().status()).as("the delete is older than the upload").isEqualTo(DocumentStatus.READY);

        assertThat(lifecycle.deleteIsStale(ID, "0006")).isFalse();
        lifecycle.deleted(ID, "0006");
        assertThat(record()).extracting(DocumentRecord::status, DocumentRecord::sequencer, DocumentRecord::chunks)
                .containsExactly(DocumentStatus.DELETED, "0006", 0);
        assertThat(lifecycle.current(ID, V1)).isFalse();

        lifecycle.deleted(ID, "0006");
        assertThat(record().status()).as("a replayed delete").isEqualTo(DocumentStatus.DELETED);
        assertThat(lifecycle.start(DOC, KEY, V1, "0005", 1000)).as("the upload before the delete, replayed").isEqualTo(Start.STALE);
    }

    @Test
    void a_missing_work_file_fails_a_version_in_the_pipeline_and_is_ignored_otherwise() {
        var missing = new dev.quarry.core.port.ObjectStore.ObjectMissingException("work/chunks/x.json");
        startedAndPlanned(V1, "0001", 1);

        assertThatThrownBy(() -> lifecycle.missingWorkFile(ID, V1, "embed", missing))
                .isInstanceOf(dev.quarry.core.port.PermanentException.class)
                .hasMessage("A work file of this version is missing (No object at work/chunks/x.json), so the embed stage cannot go on."
                        + " Upload the PDF again.");

        lifecycle.missingWorkFile(ID, V2, "embed", missing); // another version: nothing to say
        lifecycle.complete(ID, V1, 2);
        lifecycle.missingWorkFile(ID, V1, "embed", missing); // finished: nothing to say
        assertThat(lifecycle.working(ID, V1)).isFalse();
    }

    @Test
    void forgetting_parts_lets_a_version_count_again() {
        startedAndPlanned(V1, "0001", 2);
        lifecycle.partIndexed(ID, V1, 0);

        lifecycle.forgetParts(ID);

        assertThat(statuses.partsDone(ID, V1)).isZero();
    }

    @Test
    void a_document_created_through_the_api_is_queued_without_a_version() {
        DocumentRecord created = lifecycle.created(DOC, KEY);

        assertThat(created).isEqualTo(DocumentRecord.queued(ID, "acme", "manual.pdf", KEY, NOW));
        assertThat(record()).isEqualTo(created);
    }

    @Test
    void created_again_renews_a_record_whose_upload_never_arrived_or_that_was_deleted_and_leaves_any_other() {
        statuses.put(DocumentRecord.queued(ID, "acme", "manual.pdf", KEY, NOW.minusSeconds(3600)));
        assertThat(lifecycle.created(DOC, KEY).updatedAt()).as("never uploaded: a fresh record").isEqualTo(NOW);

        startedAndPlanned(V1, "0001", 1);
        assertThat(lifecycle.created(DOC, KEY)).as("uploaded: left as it is")
                .extracting(DocumentRecord::status, DocumentRecord::version).containsExactly(DocumentStatus.EXTRACTING, V1);

        lifecycle.deleted(ID, "0002");
        assertThat(lifecycle.created(DOC, KEY)).as("deleted: a fresh record")
                .extracting(DocumentRecord::status, DocumentRecord::version).containsExactly(DocumentStatus.QUEUED, null);
    }

    @Test
    void a_document_deleted_before_its_upload_ends_deleted_and_one_whose_upload_started_is_left_to_the_pipeline() {
        lifecycle.created(DOC, KEY);

        assertThat(lifecycle.deletedBeforeUpload(ID)).isTrue();
        assertThat(record().status()).isEqualTo(DocumentStatus.DELETED);

        lifecycle.created(DOC, KEY);
        startedAndPlanned(V1, "0003", 1);
        assertThat(lifecycle.deletedBeforeUpload(ID)).isFalse();
        assertThat(record().status()).isEqualTo(DocumentStatus.EXTRACTING);
        assertThat(lifecycle.deletedBeforeUpload("no-such-document")).isFalse();
    }

    @Test
    void a_queued_record_reads_failed_upload_expired_once_its_url_and_grace_have_passed_and_nothing_is_stored() {
        Duration ttl = Duration.ofMinutes(15);
        Duration grace = Duration.ofMinutes(5);
        DocumentRecord fresh = DocumentRecord.queued(ID, "acme", "manual.pdf", KEY, NOW.minus(Duration.ofMinutes(19)));
        DocumentRecord stale = DocumentRecord.queued(ID, "acme", "manual.pdf", KEY, NOW.minus(Duration.ofMinutes(21)));
        statuses.put(stale);

        assertThat(lifecycle.asRead(fresh, ttl, grace)).as("within the grace period").isEqualTo(fresh);
        DocumentRecord expired = lifecycle.asRead(stale, ttl, grace);
        assertThat(expired.status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(expired.errorCode()).isEqualTo(ErrorCode.UPLOAD_EXPIRED);
        assertThat(expired.reason()).contains("POST /v1/documents", stale.updatedAt().plus(ttl).toString());
        assertThat(record()).as("stored as it was").isEqualTo(stale);
    }

    @Test
    void an_uploaded_record_never_reads_upload_expired() {
        Instant hourAgo = NOW.minus(Duration.ofHours(1));
        DocumentRecord extracting = DocumentRecord.queued(ID, "acme", "manual.pdf", KEY, hourAgo).newVersion(V1, "0001", 1000, hourAgo);
        DocumentRecord queuedWithVersion = extracting.withStatus(DocumentStatus.QUEUED, hourAgo);
        Duration ttl = Duration.ofMinutes(15);

        assertThat(lifecycle.asRead(extracting, ttl, Duration.ZERO)).isEqualTo(extracting);
        assertThat(lifecycle.asRead(queuedWithVersion, ttl, Duration.ZERO)).isEqualTo(queuedWithVersion);
    }

    @Test
    void expire_upload_stores_failed_upload_expired_once_the_url_has_expired_and_a_new_url_or_a_late_upload_starts_again() {
        DocumentLifecycle at = lifecycleAt(NOW);
        at.created(DOC, KEY);
        assertThat(lifecycleAt(NOW.plus(Duration.ofMinutes(14))).expireUpload(ID)).as("the URL is still valid").isFalse();
        assertThat(record().status()).isEqualTo(DocumentStatus.QUEUED);

        DocumentLifecycle expiry = lifecycleAt(NOW.plus(DocumentLifecycle.UPLOAD_URL_TTL));
        assertThat(expiry.expireUpload(ID)).isTrue();
        assertThat(record()).extracting(DocumentRecord::status, DocumentRecord::errorCode)
                .containsExactly(DocumentStatus.FAILED, ErrorCode.UPLOAD_EXPIRED);
        assertThat(record().reason()).contains("POST /v1/documents", NOW.plus(DocumentLifecycle.UPLOAD_URL_TTL).toString());
        assertThat(expiry.expireUpload(ID)).as("once").isFalse();

        // The same name posted again: a fresh URL and a fresh clock; the first URL's look changes nothing.
        DocumentLifecycle later = lifecycleAt(NOW.plus(Duration.ofMinutes(30)));
        assertThat(later.created(DOC, KEY).status()).isEqualTo(DocumentStatus.QUEUED);
        assertThat(lifecycleAt(NOW.plus(Duration.ofMinutes(31))).expireUpload(ID)).isFalse();

        // Bytes that arrive after all start the document, expired or not.
        assertThat(lifecycleAt(NOW.plus(Duration.ofMinutes(50))).expireUpload(ID)).isTrue();
        assertThat(lifecycleAt(NOW.plus(Duration.ofMinutes(51))).start(DOC, KEY, V1, "0009", 1000)).isEqualTo(Start.STARTED);
        assertThat(record().status()).isEqualTo(DocumentStatus.EXTRACTING);
        assertThat(lifecycleAt(NOW.plus(Duration.ofHours(2))).expireUpload(ID)).as("uploaded: left alone").isFalse();
        assertThat(record().status()).isEqualTo(DocumentStatus.EXTRACTING);
    }

    @Test
    void an_expired_upload_deleted_through_the_api_ends_deleted() {
        lifecycleAt(NOW).created(DOC, KEY);
        assertThat(lifecycleAt(NOW.plus(Duration.ofMinutes(20))).expireUpload(ID)).isTrue();

        assertThat(lifecycle.deletedBeforeUpload(ID)).isTrue();
        assertThat(record().status()).isEqualTo(DocumentStatus.DELETED);
        assertThat(lifecycle.expireUpload("no-such-document")).isFalse();
    }

    private DocumentLifecycle lifecycleAt(Instant now) {
        return new DocumentLifecycle(statuses, Clock.fixed(now, ZoneOffset.UTC));
    }
}
