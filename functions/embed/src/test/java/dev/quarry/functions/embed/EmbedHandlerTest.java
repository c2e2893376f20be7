package dev.quarry.functions.embed;

import dev.quarry.core.Ids;
import dev.quarry.core.pipeline.Keys;
import dev.quarry.core.pipeline.WorkFiles;
import dev.quarry.model.Chunk;
import dev.quarry.model.ChunkSpan;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;
import dev.quarry.model.ErrorCode;
import dev.quarry.core.port.RetryableException;
import dev.quarry.testsupport.FakeEmbedder;
import dev.quarry.testsupport.InMemoryObjectStore;
import dev.quarry.testsupport.InMemoryStatusStore;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embed function inside Quarkus: the event from src/test/resources/events is posted to the mock
 * Lambda event server; the bucket, the status index and the model are fakes (the model a
 * deterministic hashing embedder, so expected vectors can be computed here).
 */
@QuarkusTest
class EmbedHandlerTest {
    private static final String DOC_ID = Keys.documentId("acme", "manual.pdf");
    private static final String VERSION = "1a2c3969e81ebb8c6e4a59bf5db214f4";
    private static final String CHUNKS_KEY = "work/chunks/acme/" + DOC_ID + "/" + VERSION + "/part-00000.json";
    private static final String EMBEDDED_KEY = "work/embedded/acme/" + DOC_ID + "/" + VERSION + "/part-00000.json";
    private static final WorkFiles.PartRef REF = new WorkFiles.PartRef("acme", DOC_ID, "manual.pdf",
            "documents/acme/manual.pdf", VERSION, 0, 1);
    /** 20 chunks: more than one batch of quarry.embedding.batch-size (16). */
    private static final List<Chunk> CHUNKS = IntStream.range(0, 20).mapToObj(EmbedHandlerTest::chunk).toList();

    @Inject
    InMemoryObjectStore store;

    @Inject
    InMemoryStatusStore statuses;

    @Inject
    FakeEmbedder embedder;

    @BeforeEach
    void emptyBucketStatusesAndCalls() {
        store.clear();
        statuses.clear();
        embedder.reset();
    }

    @Test
    void chunks_part_becomes_an_embedded_part_with_one_vector_per_chunk_and_the_model_id() {
        statuses.put(chunking());
        WorkFiles.write(store, CHUNKS_KEY, new WorkFiles.ChunkedPart(REF, CHUNKS));

        List<String> failed = invoke("chunks-part.json");

        assertThat(failed).isEmpty();
        WorkFiles.EmbeddedPart part = WorkFiles.read(store, EMBEDDED_KEY, WorkFiles.EmbeddedPart.class);
        assertThat(part.ref()).isEqualTo(REF);
        assertThat(part.model()).isEqualTo("fake-hashing-384");
        assertThat(part.dimension()).isEqualTo(384);
        assertThat(part.vectors()).extracting(WorkFiles.ChunkVector::chunkId)
                .containsExactlyElementsOf(CHUNKS.stream().map(Chunk::chunkId).toList());
        assertThat(part.vectors()).as("each vector is the one of its own chunk's text, across batches")
                .allSatisfy(v -> assertThat(v.vector()).hasSize(384).containsExactly(embedder.embed(textOf(v.chunkId()))));
        assertThat(embedder.passageBatches()).containsExactly(16, 4);
        assertThat(part.embeddingTokens()).as("what the model reported for both batches (the fake: a token per word)")
                .isEqualTo(CHUNKS.stream().mapToLong(c -> c.embeddingText().strip().split("\\s+").length).sum()).isPositive();
        assertThat(statuses.get(DOC_ID).orElseThrow().status()).isEqualTo(DocumentStatus.EMBEDDING);
    }

    @Test
    void chunks_part_of_a_version_in_the_pipeline_that_is_gone_ends_it_failed_without_a_retry() {
        statuses.put(chunking());

        List<String> failed = invoke("chunks-part.json");

        assertThat(failed).isEmpty();
        assertThat(store.keys()).isEmpty();
        assertThat(embedder.passageBatches()).isEmpty();
        DocumentRecord record = statuses.get(DOC_ID).orElseThrow();
        assertThat(record.status()).as("never stuck in a working state").isEqualTo(DocumentStatus.FAILED);
        assertThat(record.reason()).isEqualTo("A work file of this version is missing (No object at " + CHUNKS_KEY
                + "), so the embed stage cannot go on. Upload the PDF again.");
    }

    @Test
    void chunks_part_of_a_deleted_document_that_is_gone_is_skipped() {
        DocumentRecord deleted = chunking().deleted("0066A0B1C2D3E4F530", Instant.parse("2025-01-01T00:00:04Z"));
        statuses.put(deleted);

        List<String> failed = invoke("chunks-part.json");

        assertThat(failed).isEmpty();
        assertThat(embedder.passageBatches()).isEmpty();
        assertThat(statuses.get(DOC_ID).orElseThrow()).isEqualTo(deleted);
    }

    @Test
    void a_chunk_the_model_refuses_ends_the_document_failed_at_once_without_a_retry() {
        statuses.put(chunking());
        WorkFiles.write(store, CHUNKS_KEY, new WorkFiles.ChunkedPart(REF, CHUNKS));
        IllegalArgumentException refusal = new IllegalArgumentException("Cannot embed empty or whitespace-only text");
        embedder.failNext(refusal, refusal, refusal);

        List<String> failed = invoke("chunks-part.json");

        assertThat(failed).as("done: another delivery would fail the same way").isEmpty();
        assertThat(embedder.passageCalls()).as("tried once, not retried").isEqualTo(1);
        assertThat(store.keys()).doesNotContain(EMBEDDED_KEY);
        DocumentRecord record = statuses.get(DOC_ID).orElseThrow();
        assertThat(record.status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(record.errorCode()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(record.reason()).isEqualTo("The embed stage failed on a defect that retrying cannot fix (IllegalArgumentException: "
                + "Cannot embed empty or whitespace-only text). The document was not processed; report this reason to the operators.");
    }

    @Test
    void a_throttled_model_is_retried_in_process_and_the_part_is_embedded() {
        statuses.put(chunking());
        WorkFiles.write(store, CHUNKS_KEY, new WorkFiles.ChunkedPart(REF, CHUNKS));
        embedder.failNext(new RetryableException("The embedding model is throttling: 429"));

        List<String> failed = invoke("chunks-part.json");

        assertThat(failed).isEmpty();
        assertThat(embedder.passageCalls()).as("one throttled call, then the part's two batches").isEqualTo(3);
        assertThat(WorkFiles.read(store, EMBEDDED_KEY, WorkFiles.EmbeddedPart.class).vectors()).hasSize(CHUNKS.size());
        assertThat(statuses.get(DOC_ID).orElseThrow().status()).isEqualTo(DocumentStatus.EMBEDDING);
    }

    @Test
    void a_model_that_keeps_throttling_is_left_to_the_queue_after_the_in_process_retries() {
        statuses.put(chunking());
        WorkFiles.write(store, CHUNKS_KEY, new WorkFiles.ChunkedPart(REF, CHUNKS));
        RetryableException throttled = new RetryableException("The embedding model is throttling: 429");
        embedder.failNext(throttled, throttled, throttled, throttled);

        List<String> failed = invoke("chunks-part.json");

        assertThat(failed).as("reported: the queue delivers it again").containsExactly("8b3e4c6a-0001-4f5c-9c73-embed0000001");
        assertThat(embedder.passageCalls()).as("quarry.queue.retry-attempts").isEqualTo(3);
        assertThat(statuses.get(DOC_ID).orElseThrow().status()).as("the first delivery: not given up").isEqualTo(DocumentStatus.EMBEDDING);
    }

    private static DocumentRecord chunking() {
        return DocumentRecord.queued(DOC_ID, "acme", "manual.pdf", "documents/acme/manual.pdf", Instant.parse("2025-01-01T00:00:00Z"))
                .newVersion(VERSION, "0066A0B1C2D3E4F501", 257_018, Instant.parse("2025-01-01T00:00:01Z"))
                .planned(6, 1, "The xspace package", null, Instant.parse("2025-01-01T00:00:02Z"))
                .withStatus(DocumentStatus.CHUNKING, Instant.parse("2025-01-01T00:00:03Z"));
    }

    private static Chunk chunk(int ordinal) {
        String text = "Chunk " + ordinal + ": the xspace command adds a space unless followed by punctuation mark "
                + (char) ('a' + ordinal) + ".";
        return new Chunk(Ids.chunkId(DOC_ID, VERSION, 0, ordinal), "acme", DOC_ID, VERSION, "manual.pdf", 0, ordinal,
                1 + ordinal / 4, 1 + ordinal / 4, text, List.of(new ChunkSpan(1 + ordinal / 4, 0, text.length())), 24);
    }

    private static String textOf(String chunkId) {
        return CHUNKS.stream().filter(c -> c.chunkId().equals(chunkId)).findFirst().orElseThrow().text();
    }

    /**
     * Delivers events/{@code fixture} to the function through the mock Lambda event server, as the
     * Lambda service would; returns the message ids of batchItemFailures.
     */
    private static List<String> invoke(String fixture) {
        return given()
                .port(ConfigProvider.getConfig().getValue("quarkus.lambda.mock-event-server.test-port", Integer.class))
                .contentType("application/json")
                .accept("application/json")
                .body(resource("events/" + fixture))
                .when().post("/_lambda_")
                .then().statusCode(200)
                .extract().jsonPath().getList("batchItemFailures.itemIdentifier", String.class);
    }

    private static String resource(String path) {
        try (InputStream in = EmbedHandlerTest.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("No test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
