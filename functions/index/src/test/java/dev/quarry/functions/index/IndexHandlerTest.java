package dev.quarry.functions.index;

import dev.quarry.testsupport.Stdout;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.core.Ids;
import dev.quarry.core.metrics.MetricNames;
import dev.quarry.core.pipeline.ExpireUploadTask;
import dev.quarry.core.pipeline.Keys;
import dev.quarry.core.port.ChunkIndex;
import dev.quarry.core.pipeline.WorkFiles;
import dev.quarry.model.Chunk;
import dev.quarry.model.ChunkSpan;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;
import dev.quarry.model.ErrorCode;
import dev.quarry.model.IndexedChunk;
import dev.quarry.testsupport.FakeEmbedder;
import dev.quarry.testsupport.InMemoryChunkIndex;
import dev.quarry.testsupport.InMemoryObjectStore;
import dev.quarry.testsupport.InMemoryStatusStore;
import dev.quarry.testsupport.S3Events;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The index function inside Quarkus: events from src/test/resources/events are posted to the mock
 * Lambda event server; the bucket, the status index and the chunk index are in-memory fakes. The
 * function is configured for the default model (bge-small-en-v1.5-q, 384 dimensions).
 */
@QuarkusTest
class IndexHandlerTest {
    private static final String MODEL = "bge-small-en-v1.5-q";
    private static final String DOC_ID = Keys.documentId("acme", "manual.pdf");
    private static final String VERSION = "1a2c3969e81ebb8c6e4a59bf5db214f4";
    private static final String OLD_VERSION = "0ld0000000000000000000000000000a";
    private static final String UPLOAD_SEQUENCER = "0066A0B1C2D3E4F501";
    private static final String CHUNKS_KEY = Keys.work(Keys.CHUNKS, "acme", DOC_ID, VERSION, 0);
    private static final String EMBEDDED_KEY = "work/embedded/acme/" + DOC_ID + "/" + VERSION + "/part-00000.json";
    private static final WorkFiles.PartRef REF = new WorkFiles.PartRef("acme", DOC_ID, "manual.pdf",
            "documents/acme/manual.pdf", VERSION, 0, 1);
    private static final FakeEmbedder BGE = new FakeEmbedder(MODEL, 384);

    @Inject
    InMemoryObjectStore store;

    @Inject
    InMemoryStatusStore statuses;

    @Inject
    InMemoryChunkIndex index;

    @BeforeEach
    void emptyEverything() {
        store.clear();
        statuses.clear();
        index.clear();
    }

    @Test
    void a_delete_that_lands_while_a_part_is_written_leaves_no_chunk_of_the_document_behind() {
        statuses.put(embedding(1));
        writeParts(chunks(VERSION, 5), BGE);
        index.checkModel(MODEL, 384);
        index.afterNextIndex(() -> statuses.update(DOC_ID, r -> r.map(x -> x.deleted("0066A0B1C2D3E4F599", Instant.now()))));

        List<String> failed = invoke("embedded-part.json");

        assertThat(failed).isEmpty();
        assertThat(index.all()).as("chunks written after the delete was recorded").isEmpty();
        assertThat(statuses.get(DOC_ID).orElseThrow().status()).isEqualTo(DocumentStatus.DELETED);
    }

    @Test
    void a_version_replaced_while_its_last_part_is_written_does_not_complete_or_remove_the_newer_versions_chunks() {
        statuses.put(embedding(1));
        writeParts(chunks(VERSION, 5), BGE);
        index.checkModel(MODEL, 384);
        List<IndexedChunk> newer = chunks("newer000000000000000000000000000", 3).stream()
                .map(c -> new IndexedChunk(c, BGE.embed(c.text()))).toList();
        index.afterNextIndex(() -> {
            statuses.update(DOC_ID, r -> r.map(x -> x.newVersion("newer000000000000000000000000000", "0066A0B1C2D3E4F598", 1, Instant.now())));
            index.index(newer);
        });

        List<String> failed = invoke("embedded-part.json");

        assertThat(failed).isEmpty();
        assertThat(index.all()).extracting(ic -> ic.chunk().version()).contains("newer000000000000000000000000000");
        assertThat(statuses.get(DOC_ID).orElseThrow().status()).isEqualTo(DocumentStatus.EXTRACTING);
    }

    @Test
    void a_part_redriven_from_the_dead_letter_queue_completes_a_version_that_failed_unavailable() {
        statuses.put(embedding(1).failed(ErrorCode.UNAVAILABLE, "The index stage kept failing on a service it needs through 5 deliveries"
                + " (RetryableException: OpenSearch answered 503); its message was moved to the dead-letter queue.",
                Instant.parse("2025-01-01T00:10:00Z")));
        List<Chunk> chunks = chunks(VERSION, 3);
        writeParts(chunks, BGE);

        List<String> failed = invoke("embedded-part.json");

        assertThat(failed).isEmpty();
        assertThat(index.all()).hasSize(3);
        DocumentRecord record = statuses.get(DOC_ID).orElseThrow();
        assertThat(record.status()).isEqualTo(DocumentStatus.READY);
        assertThat(record.errorCode()).isNull();
        assertThat(record.reason()).isNull();
    }

    @Test
    void a_part_of_a_version_that_failed_for_good_is_not_indexed() {
        DocumentRecord failedForGood = embedding(1).failed(ErrorCode.ACCESS_DENIED, "Failed to read s3://b/k: 403 AccessDenied",
                Instant.parse("2025-01-01T00:10:00Z"));
        statuses.put(failedForGood);
        writeParts(chunks(VERSION, 3), BGE);

        List<String> failed = invoke("embedded-part.json");

        assertThat(failed).isEmpty();
        assertThat(index.all()).isEmpty();
        assertThat(statuses.get(DOC_ID).orElseThrow()).isEqualTo(failedForGood);
    }

    @Test
    void embedded_part_of_a_one_part_document_is_indexed_and_the_document_becomes_ready_with_its_chunk_count() {
        statuses.put(embedding(1));
        List<Chunk> chunks = chunks(VERSION, 5);
        writeParts(chunks, BGE);
        index.checkModel(MODEL, 384);
        index.index(chunks(OLD_VERSION, 2).stream().map(c -> new IndexedChunk(c, BGE.embed(c.text()))).toList());

        List<String> failed = invoke("embedded-part.json");

        assertThat(failed).isEmpty();
        assertThat(index.all()).extracting(ic -> ic.chunk().chunkId())
                .as("the new version's chunks, and no chunk of the previous version")
                .containsExactlyInAnyOrderElementsOf(chunks.stream().map(Chunk::chunkId).toList());
        assertThat(index.all()).allSatisfy(ic -> assertThat(ic.vector()).containsExactly(BGE.embed(ic.chunk().text())));
        assertThat(index.get(chunks.get(3).chunkId()).orElseThrow().chunk()).isEqualTo(chunks.get(3));
        assertThat(index.model()).contains(new InMemoryChunkIndex.Model(MODEL, 384));
        assertThat(statuses.partsDone(DOC_ID, VERSION)).isEqualTo(1);
        DocumentRecord record = statuses.get(DOC_ID).orElseThrow();
        assertThat(record.status()).isEqualTo(DocumentStatus.READY);
        assertThat(record.chunks()).isEqualTo(5);
        assertThat(record.partsDone()).isEqualTo(1);
        assertThat(record.errorCode()).isNull();
    }

    @Test
    void an_invocation_prints_one_emf_line_with_the_index_stages_records_chunks_bytes_and_duration() throws Exception {
        statuses.put(embedding(1));
        writeParts(chunks(VERSION, 5), BGE);
        index.checkModel(MODEL, 384);

        List<String> lines = Stdout.of(() -> assertThat(invoke("embedded-part.json")).isEmpty()).stream()
                .filter(l -> l.startsWith("{\"_aws\"")).toList();

        assertThat(lines).as("one EMF line per invocation").hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines.get(0));
        JsonNode directive = line.at("/_aws/CloudWatchMetrics/0");
        assertThat(directive.get("Namespace").asText()).isEqualTo(MetricNames.NAMESPACE);
        assertThat(directive.get("Dimensions").toString()).isEqualTo("[[\"stage\"]]");
        assertThat(line.get("stage").asText()).isEqualTo("index");
        Map<String, String> units = new HashMap<>();
        directive.get("Metrics").forEach(m -> units.put(m.get("Name").asText(), m.get("Unit").asText()));
        assertThat(units).containsEntry(MetricNames.RECORDS_SUCCEEDED, "Count").containsEntry(MetricNames.BYTES, "Bytes")
                .containsEntry(MetricNames.RECORD_DURATION, "Milliseconds");
        units.forEach((name, unit) -> assertThat(MetricNames.unit(name)).as(name).isEqualTo(unit));
        assertThat(line.get(MetricNames.RECORDS_RECEIVED).asLong()).isEqualTo(1);
        assertThat(line.get(MetricNames.RECORDS_SUCCEEDED).asLong()).isEqualTo(1);
        assertThat(line.get(MetricNames.RECORDS_FAILED).asLong()).isZero();
        assertThat(line.get(MetricNames.RECORDS_REQUEUED).asLong()).isZero();
        assertThat(line.get(MetricNames.CHUNKS).asLong()).as("chunks indexed").isEqualTo(5);
        assertThat(line.get(MetricNames.BYTES).asLong()).as("the size the notification gives").isEqualTo(4096);
        assertThat(line.get(MetricNames.RECORD_DURATION).asDouble()).isPositive();
    }


    @Test
    void the_last_of_two_parts_makes_the_document_ready_with_the_chunks_of_both() {
        statuses.put(embedding(2));
        List<Chunk> first = partChunks(0, 5);
        List<Chunk> second = partChunks(1, 3);
        writePart(0, 2, first, BGE);
        writePart(1, 2, second, BGE);

        List<String> failedFirst = invoke("embedded-part.json");

        assertThat(failedFirst).isEmpty();
        assertThat(statuses.get(DOC_ID).orElseThrow().status()).as("one of two parts is in").isEqualTo(DocumentStatus.INDEXING);

        List<String> failedSecond = send(resource("events/embedded-part.json")
                .replace("part-00000.json", "part-00001.json").replace("index0000001", "index0000002"));

        assertThat(failedSecond).isEmpty();
        assertThat(index.all()).extracting(ic -> ic.chunk().chunkId()).containsExactlyInAnyOrderElementsOf(
                Stream.concat(first.stream(), second.stream()).map(Chunk::chunkId).toList());
        assertThat(statuses.partsDone(DOC_ID, VERSION)).isEqualTo(2);
        DocumentRecord record = statuses.get(DOC_ID).orElseThrow();
        assertThat(record.status()).isEqualTo(DocumentStatus.READY);
        assertThat(record.chunks()).isEqualTo(8);
        assertThat(record.partsDone()).isEqualTo(2);
        assertThat(record.embeddingTokens()).as("the embedding tokens of both parts").isEqualTo(100 + 200);
    }

    @Test
    void while_a_new_version_is_indexed_search_finds_only_the_old_one_and_once_it_is_ready_only_the_new_one() {
        DocumentRecord oldReady = readyWithOldVersion();
        statuses.put(oldReady.newVersion(VERSION, "0066A0B1C2D3E4F5A0", 257_018, Instant.parse("2025-01-02T00:00:01Z"))
                .planned(10, 2, "The xspace package", null, Instant.parse("2025-01-02T00:00:02Z"))
                .withStatus(DocumentStatus.EMBEDDING, Instant.parse("2025-01-02T00:00:03Z")));
        writePart(0, 2, partChunks(0, 5), BGE);
        writePart(1, 2, partChunks(1, 3), BGE);

        assertThat(invoke("embedded-part.json")).isEmpty();

        assertThat(index.count("acme", DOC_ID, VERSION)).as("part 0 of the new version is written").isEqualTo(5);
        assertThat(searchedVersions()).as("while the new version is indexed").containsOnly(OLD_VERSION).hasSize(2);

        assertThat(send(resource("events/embedded-part.json")
                .replace("part-00000.json", "part-00001.json").replace("index0000001", "index0000002"))).isEmpty();

        DocumentRecord record = statuses.get(DOC_ID).orElseThrow();
        assertThat(record.status()).isEqualTo(DocumentStatus.READY);
        assertThat(record.liveVersion()).isEqualTo(VERSION);
        assertThat(searchedVersions()).as("once the new version is READY").containsOnly(VERSION).hasSize(8);
    }

    @Test
    void a_version_that_fails_after_one_of_its_parts_was_indexed_is_never_found_and_the_previous_one_still_is() {
        DocumentRecord oldReady = readyWithOldVersion();
        statuses.put(oldReady.newVersion(VERSION, "0066A0B1C2D3E4F5A0", 257_018, Instant.parse("2025-01-02T00:00:01Z"))
                .planned(10, 2, "The xspace package", null, Instant.parse("2025-01-02T00:00:02Z"))
                .withStatus(DocumentStatus.EMBEDDING, Instant.parse("2025-01-02T00:00:03Z")));
        writePart(0, 2, partChunks(0, 5), BGE);
        assertThat(invoke("embedded-part.json")).isEmpty();

        // Part 1 fails for good in another stage (as the embed stage ends a version on a permanent failure).
        statuses.update(DOC_ID, r -> r.map(x -> x.failed(ErrorCode.INTERNAL, "A work file of this version is missing.",
                Instant.parse("2025-01-02T00:01:00Z"))));

        DocumentRecord record = statuses.get(DOC_ID).orElseThrow();
        assertThat(record.status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(record.liveVersion()).as("the version search shows").isEqualTo(OLD_VERSION);
        assertThat(searchedVersions()).as("the failed version's indexed part is not found").containsOnly(OLD_VERSION).hasSize(2);
    }

    @Test
    void a_new_version_without_text_ends_no_text_and_the_previous_version_stays_found() {
        DocumentRecord oldReady = readyWithOldVersion();
        statuses.put(oldReady.newVersion(VERSION, "0066A0B1C2D3E4F5A0", 257_018, Instant.parse("2025-01-02T00:00:01Z"))
                .planned(3, 1, null, null, Instant.parse("2025-01-02T00:00:02Z"))
                .withStatus(DocumentStatus.EMBEDDING, Instant.parse("2025-01-02T00:00:03Z")));
        writeParts(List.of(), BGE);

        assertThat(invoke("embedded-part.json")).isEmpty();

        DocumentRecord record = statuses.get(DOC_ID).orElseThrow();
        assertThat(record.status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(record.errorCode()).isEqualTo(ErrorCode.NO_TEXT);
        assertThat(record.liveVersion()).isEqualTo(OLD_VERSION);
        assertThat(searchedVersions()).as("the version search shows, as the record says").containsOnly(OLD_VERSION).hasSize(2);
    }

    @Test
    void a_part_written_while_its_version_failed_leaves_no_chunk_behind() {
        statuses.put(embedding(2));
        writePart(0, 2, partChunks(0, 5), BGE);
        index.checkModel(MODEL, 384);
        index.afterNextIndex(() -> statuses.update(DOC_ID, r -> r.map(x -> x.failed(ErrorCode.INTERNAL,
                "A work file of this version is missing.", Instant.parse("2025-01-01T00:01:00Z")))));

        assertThat(invoke("embedded-part.json")).isEmpty();

        assertThat(index.count("acme", DOC_ID, VERSION)).isZero();
        assertThat(statuses.get(DOC_ID).orElseThrow().status()).isEqualTo(DocumentStatus.FAILED);
    }

    @Test
    void a_part_written_again_while_its_version_completed_is_found_too() {
        statuses.put(embedding(1));
        List<Chunk> chunks = chunks(VERSION, 4);
        writeParts(chunks, BGE);
        index.checkModel(MODEL, 384);
        // Another invocation completes the version between this replay's write (hidden) and its progress update.
        index.afterNextIndex(() -> statuses.update(DOC_ID, r -> r.map(x -> x.ready(4, List.of(), Instant.now()))));

        assertThat(invoke("embedded-part.json")).isEmpty();

        assertThat(chunks).allSatisfy(c -> assertThat(index.hidden(c.chunkId())).as(c.chunkId()).isFalse());
        assertThat(searchedVersions()).containsOnly(VERSION).hasSize(4);
    }

    @Test
    void the_same_bytes_processed_again_stay_searchable_while_they_run() {
        index.checkModel(MODEL, 384);
        index.index(partChunks(0, 5).stream().map(c -> new IndexedChunk(c, BGE.embed(c.text()))).toList());
        DocumentRecord ready = embedding(2).ready(8, List.of(), Instant.parse("2025-01-01T00:01:00Z"));
        statuses.put(ready.newVersion(VERSION, "0066A0B1C2D3E4F5A0", 257_018, Instant.parse("2025-01-02T00:00:01Z"))
                .planned(10, 2, "The xspace package", null, Instant.parse("2025-01-02T00:00:02Z"))
                .withStatus(DocumentStatus.EMBEDDING, Instant.parse("2025-01-02T00:00:03Z")));
        writePart(0, 2, partChunks(0, 5), BGE);

        assertThat(invoke("embedded-part.json")).isEmpty();

        assertThat(statuses.get(DOC_ID).orElseThrow().status()).isEqualTo(DocumentStatus.INDEXING);
        assertThat(searchedVersions()).as("the version search showed before it was uploaded again").containsOnly(VERSION).hasSize(5);
    }

    @Test
    void the_apis_expiry_message_ends_a_document_whose_upload_never_came_and_leaves_an_uploaded_one_alone() {
        String neverUploaded = Keys.documentId("acme", "never.pdf");
        statuses.put(DocumentRecord.queued(neverUploaded, "acme", "never.pdf", "documents/acme/never.pdf",
                Instant.now().minus(Duration.ofMinutes(16))));
        statuses.put(embedding(1));

        List<String> failed = send(S3Events.sqsEvent(S3Events.message("m1", new ExpireUploadTask(neverUploaded).body()),
                S3Events.message("m2", new ExpireUploadTask(DOC_ID).body())));

        assertThat(failed).isEmpty();
        DocumentRecord expired = statuses.get(neverUploaded).orElseThrow();
        assertThat(expired.status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(expired.errorCode()).isEqualTo(ErrorCode.UPLOAD_EXPIRED);
        assertThat(statuses.get(DOC_ID).orElseThrow()).isEqualTo(embedding(1));
    }

    @Test
    void replaying_an_embedded_part_gives_the_same_chunk_ids_and_count_and_does_not_count_the_part_twice() {
        statuses.put(embedding(2));
        List<Chunk> chunks = chunks(VERSION, 5);
        writeParts(chunks, BGE);
        invoke("embedded-part.json");
        List<String> firstIds = index.all().stream().map(ic -> ic.chunk().chunkId()).toList();

        List<String> failed = invoke("embedded-part.json");

        assertThat(failed).isEmpty();
        assertThat(index.all()).extracting(ic -> ic.chunk().chunkId()).containsExactlyElementsOf(firstIds)
                .containsExactlyInAnyOrderElementsOf(chunks.stream().map(Chunk::chunkId).toList());
        assertThat(index.count("acme", DOC_ID, VERSION)).isEqualTo(5);
        assertThat(statuses.partsDone(DOC_ID, VERSION)).isEqualTo(1);
        DocumentRecord record = statuses.get(DOC_ID).orElseThrow();
        assertThat(record.status()).as("one of two parts is in").isEqualTo(DocumentStatus.INDEXING);
        assertThat(record.partsDone()).isEqualTo(1);
    }

    @Test
    void the_same_bytes_chunked_again_into_fewer_chunks_leave_none_of_the_earlier_runs_chunks_behind() {
        // An earlier run of this very version (same bytes) cut part 0 into 5 chunks; today's chunker cuts it into 3.
        index.checkModel(MODEL, 384);
        index.index(chunks(VERSION, 5).stream().map(c -> new IndexedChunk(c, BGE.embed(c.text()))).toList());
        statuses.put(embedding(1));
        List<Chunk> now = chunks(VERSION, 3);
        writeParts(now, BGE);

        List<String> failed = invoke("embedded-part.json");

        assertThat(failed).isEmpty();
        assertThat(index.all()).extracting(ic -> ic.chunk().chunkId())
                .containsExactlyInAnyOrderElementsOf(now.stream().map(Chunk::chunkId).toList());
        assertThat(statuses.get(DOC_ID).orElseThrow().chunks()).isEqualTo(3);
    }

    @Test
    void embedded_part_made_with_another_model_fails_the_document_with_model_mismatch() {
        statuses.put(embedding(1));
        writeParts(chunks(VERSION, 3), new FakeEmbedder("amazon.titan-embed-text-v2:0", 1024));

        List<String> failed = invoke("embedded-part.json");

        assertThat(failed).as("a mismatch is a status, not a retry").isEmpty();
        DocumentRecord record = statuses.get(DOC_ID).orElseThrow();
        assertThat(record.status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(record.errorCode()).isEqualTo(ErrorCode.MODEL_MISMATCH);
        assertThat(record.reason()).contains("amazon.titan-embed-text-v2:0 (1024 dimensions)").contains(MODEL + " (384)");
        assertThat(index.all()).isEmpty();
        assertThat(statuses.partsDone(DOC_ID, VERSION)).isZero();
    }

    @Test
    void removed_upload_loses_its_chunks_work_files_and_part_markers_and_becomes_deleted() {
        statuses.put(embedding(1));
        writeParts(chunks(VERSION, 4), BGE);
        invoke("embedded-part.json");
        assertThat(statuses.get(DOC_ID).orElseThrow().status()).isEqualTo(DocumentStatus.READY);
        store.put(Keys.work(Keys.RANGES, "acme", DOC_ID, VERSION, 0), "{}".getBytes(StandardCharsets.UTF_8), "application/json");
        store.put(Keys.work(Keys.EXTRACTED, "acme", DOC_ID, VERSION, 0), "{}".getBytes(StandardCharsets.UTF_8), "application/json");
        String otherDocId = Keys.documentId("acme", "other.pdf");
        String otherWork = Keys.work(Keys.CHUNKS, "acme", otherDocId, VERSION, 0);
        store.put(otherWork, "{}".getBytes(StandardCharsets.UTF_8), "application/json");
        Chunk otherChunk = new Chunk(Ids.chunkId(otherDocId, VERSION, 0, 0), "acme", otherDocId, VERSION, "other.pdf", 0, 0, 1, 1,
                "other text", List.of(new ChunkSpan(1, 0, 10)), 2);
        index.index(List.of(new IndexedChunk(otherChunk, BGE.embed("other text"))));

        List<String> failed = invoke("delete-manual.json");

        assertThat(failed).isEmpty();
        assertThat(index.count("acme", DOC_ID, null)).isZero();
        assertThat(index.all()).extracting(ic -> ic.chunk().chunkId()).containsExactly(otherChunk.chunkId());
        assertThat(store.keys()).containsExactly(otherWork);
        assertThat(statuses.partsDone(DOC_ID, VERSION)).isZero();
        DocumentRecord record = statuses.get(DOC_ID).orElseThrow();
        assertThat(record.status()).isEqualTo(DocumentStatus.DELETED);
        assertThat(record.sequencer()).isEqualTo("0066A0B1C2D3E4F5FF");
        assertThat(record.chunks()).isZero();
        assertThat(statuses.list("acme", 0, 10)).isEmpty();
    }

    @Test
    void delete_event_older_than_the_current_upload_is_ignored() {
        DocumentRecord newer = embedding(1).newVersion(VERSION, "0066A0B1C2D3E4F600", 257_018, Instant.parse("2025-01-01T00:01:00Z"));
        statuses.put(newer);
        writeParts(chunks(VERSION, 2), BGE);

        List<String> failed = invoke("delete-manual.json");

        assertThat(failed).isEmpty();
        assertThat(statuses.get(DOC_ID)).contains(newer);
        assertThat(store.keys()).containsExactlyInAnyOrder(CHUNKS_KEY, EMBEDDED_KEY);
    }

    /** The versions of the chunks a BM25 search for the manual finds, one per hit. */
    private List<String> searchedVersions() {
        return index.search(new ChunkIndex.Query("acme", "xspace manual passage", null, 50, ChunkIndex.Mode.BM25, null)).bm25()
                .stream().map(h -> index.get(h.chunkId()).orElseThrow().chunk().version()).toList();
    }

    /** The document READY with OLD_VERSION (two chunks, searchable), as the previous upload left it. */
    private DocumentRecord readyWithOldVersion() {
        index.checkModel(MODEL, 384);
        index.index(chunks(OLD_VERSION, 2).stream().map(c -> new IndexedChunk(c, BGE.embed(c.text()))).toList());
        DocumentRecord ready = DocumentRecord.queued(DOC_ID, "acme", "manual.pdf", "documents/acme/manual.pdf",
                        Instant.parse("2025-01-01T00:00:00Z"))
                .newVersion(OLD_VERSION, UPLOAD_SEQUENCER, 1_000, Instant.parse("2025-01-01T00:00:01Z"))
                .planned(2, 1, "The xspace package", null, Instant.parse("2025-01-01T00:00:02Z"))
                .ready(2, List.of(), Instant.parse("2025-01-01T00:01:00Z"));
        assertThat(ready.liveVersion()).isEqualTo(OLD_VERSION);
        return ready;
    }

    private void writeParts(List<Chunk> chunks, FakeEmbedder model) {
        WorkFiles.write(store, CHUNKS_KEY, new WorkFiles.ChunkedPart(REF, chunks));
        WorkFiles.write(store, EMBEDDED_KEY, new WorkFiles.EmbeddedPart(REF, model.modelId(), model.dimension(),
                chunks.stream().map(c -> new WorkFiles.ChunkVector(c.chunkId(), model.embed(c.text()))).toList()));
    }

    private void writePart(int part, int parts, List<Chunk> chunks, FakeEmbedder model) {
        WorkFiles.PartRef ref = new WorkFiles.PartRef("acme", DOC_ID, "manual.pdf", "documents/acme/manual.pdf", VERSION, part, parts);
        WorkFiles.write(store, Keys.work(Keys.CHUNKS, "acme", DOC_ID, VERSION, part), new WorkFiles.ChunkedPart(ref, chunks));
        WorkFiles.write(store, Keys.work(Keys.EMBEDDED, "acme", DOC_ID, VERSION, part), new WorkFiles.EmbeddedPart(ref,
                model.modelId(), model.dimension(),
                chunks.stream().map(c -> new WorkFiles.ChunkVector(c.chunkId(), model.embed(c.text()))).toList(),
                100L * (part + 1))); // the embedding tokens of the part
    }

    /** The chunks of one part: part 0 holds pages 1-5, part 1 pages 6-10. */
    private static List<Chunk> partChunks(int part, int count) {
        return IntStream.range(0, count).mapToObj(i -> {
            int page = 1 + part * 5 + i;
            String text = "Passage " + i + " of part " + part + " of the xspace manual.";
            return new Chunk(Ids.chunkId(DOC_ID, VERSION, part, i), "acme", DOC_ID, VERSION, "manual.pdf", part, i, page, page, text,
                    List.of(new ChunkSpan(page, 0, text.length())), 12);
        }).toList();
    }

    private static DocumentRecord embedding(int parts) {
        return DocumentRecord.queued(DOC_ID, "acme", "manual.pdf", "documents/acme/manual.pdf", Instant.parse("2025-01-01T00:00:00Z"))
                .newVersion(VERSION, UPLOAD_SEQUENCER, 257_018, Instant.parse("2025-01-01T00:00:01Z"))
                .planned(6, parts, "The xspace package", null, Instant.parse("2025-01-01T00:00:02Z"))
                .withStatus(DocumentStatus.EMBEDDING, Instant.parse("2025-01-01T00:00:03Z"));
    }

    private static List<Chunk> chunks(String version, int count) {
        return IntStream.range(0, count).mapToObj(i -> {
            String text = "Part of the xspace manual, passage " + i + " of version " + version + ".";
            return new Chunk(Ids.chunkId(DOC_ID, version, 0, i), "acme", DOC_ID, version, "manual.pdf", 0, i, 1 + i, 1 + i, text,
                    List.of(new ChunkSpan(1 + i, 0, text.length())), 20);
        }).toList();
    }

    /**
     * Delivers events/{@code fixture} to the function through the mock Lambda event server, as the
     * Lambda service would; returns the message ids of batchItemFailures.
     */
    private static List<String> invoke(String fixture) {
        return send(resource("events/" + fixture));
    }

    private static List<String> send(String event) {
        return given()
                .port(ConfigProvider.getConfig().getValue("quarkus.lambda.mock-event-server.test-port", Integer.class))
                .contentType("application/json")
                .accept("application/json")
                .body(event)
                .when().post("/_lambda_")
                .then().statusCode(200)
                .extract().jsonPath().getList("batchItemFailures.itemIdentifier", String.class);
    }

    private static String resource(String path) {
        try (InputStream in = IndexHandlerTest.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("No test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
