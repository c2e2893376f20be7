package dev.quarry.functions.chunk;

import dev.quarry.ai.BertTokenCounter;
import dev.quarry.core.Ids;
import dev.quarry.core.pipeline.Keys;
import dev.quarry.core.pipeline.WorkFiles;
import dev.quarry.model.Chunk;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;
import dev.quarry.model.PageText;
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
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chunk function inside Quarkus with the real BERT token counter: the event from
 * src/test/resources/events is posted to the mock Lambda event server; the bucket and the status
 * index are in-memory fakes.
 */
@QuarkusTest
class ChunkHandlerTest {
    private static final String DOC_ID = Keys.documentId("acme", "manual.pdf");
    private static final String VERSION = "1a2c3969e81ebb8c6e4a59bf5db214f4";
    private static final String EXTRACTED_KEY = "work/extracted/acme/" + DOC_ID + "/" + VERSION + "/part-00000.json";
    private static final String CHUNKS_KEY = "work/chunks/acme/" + DOC_ID + "/" + VERSION + "/part-00000.json";
    private static final WorkFiles.PartRef REF = new WorkFiles.PartRef("acme", DOC_ID, "manual.pdf",
            "documents/acme/manual.pdf", VERSION, 0, 1);
    private static final List<PageText> PAGES = List.of(new PageText(1, page(1)), new PageText(2, page(2)));

    @Inject
    InMemoryObjectStore store;

    @Inject
    InMemoryStatusStore statuses;

    @BeforeEach
    void emptyBucketAndStatuses() {
        store.clear();
        statuses.clear();
    }

    @Test
    void extracted_part_becomes_chunks_of_at_most_320_tokens_and_the_document_is_chunking() {
        statuses.put(extracting(VERSION));
        WorkFiles.write(store, EXTRACTED_KEY, new WorkFiles.ExtractedPart(REF, PAGES, List.of("Page 2: a font without Unicode mapping")));

        List<String> failed = invoke("extracted-part.json");

        assertThat(failed).isEmpty();
        WorkFiles.ChunkedPart part = WorkFiles.read(store, CHUNKS_KEY, WorkFiles.ChunkedPart.class);
        assertThat(part.ref()).isEqualTo(REF);
        List<Chunk> chunks = part.chunks();
        BertTokenCounter tokens = new BertTokenCounter();
        int pageTokens = PAGES.stream().mapToInt(p -> tokens.count(p.text())).sum();
        assertThat(chunks).hasSizeGreaterThanOrEqualTo((pageTokens + 319) / 320);
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.tokenCount()).isBetween(1, 320);
            assertThat(tokens.count(c.text())).isLessThanOrEqualTo(320);
        });
        assertThat(chunks).extracting(Chunk::ordinal).containsExactlyElementsOf(IntStream.range(0, chunks.size()).boxed().toList());
        assertThat(chunks).allSatisfy(c -> assertThat(c.chunkId()).isEqualTo(Ids.chunkId(DOC_ID, VERSION, 0, c.ordinal())));
        assertThat(IntStream.rangeClosed(1, 60).boxed().flatMap(i -> List.of("Step 1." + i + ":", "Step 2." + i + ":").stream()))
                .as("no step is lost between chunks")
                .allSatisfy(step -> assertThat(chunks).anySatisfy(c -> assertThat(c.text()).contains(step)));
        assertThat(chunks.get(0).pageStart()).isEqualTo(1);
        assertThat(chunks.get(chunks.size() - 1).pageEnd()).isEqualTo(2);
        assertThat(chunks).as("a chunk's text is its spans' page text joined by one space")
                .allSatisfy(c -> assertThat(c.text()).isEqualTo(c.spans().stream()
                        .map(s -> PAGES.get(s.page() - 1).text().substring(s.start(), s.end()))
                        .collect(Collectors.joining(" "))));
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.tenant()).isEqualTo("acme");
            assertThat(c.documentId()).isEqualTo(DOC_ID);
            assertThat(c.version()).isEqualTo(VERSION);
            assertThat(c.name()).isEqualTo("manual.pdf");
        });
        DocumentRecord record = statuses.get(DOC_ID).orElseThrow();
        assertThat(record.status()).isEqualTo(DocumentStatus.CHUNKING);
        assertThat(record.warnings()).containsExactly("Page 2: a font without Unicode mapping");
    }

    @Test
    void replaying_an_extracted_part_writes_the_same_chunks() {
        statuses.put(extracting(VERSION));
        WorkFiles.write(store, EXTRACTED_KEY, new WorkFiles.ExtractedPart(REF, PAGES, List.of()));
        invoke("extracted-part.json");
        byte[] first = store.get(CHUNKS_KEY);

        List<String> failed = invoke("extracted-part.json");

        assertThat(failed).isEmpty();
        assertThat(store.get(CHUNKS_KEY)).isEqualTo(first);
        assertThat(statuses.get(DOC_ID).orElseThrow().status()).isEqualTo(DocumentStatus.CHUNKING);
    }

    @Test
    void extracted_part_of_a_replaced_version_is_skipped() {
        statuses.put(extracting("0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f"));
        WorkFiles.write(store, EXTRACTED_KEY, new WorkFiles.ExtractedPart(REF, PAGES, List.of()));

        List<String> failed = invoke("extracted-part.json");

        assertThat(failed).isEmpty();
        assertThat(store.contains(CHUNKS_KEY)).isFalse();
        assertThat(statuses.get(DOC_ID).orElseThrow().status()).isEqualTo(DocumentStatus.EXTRACTING);
    }

    private static DocumentRecord extracting(String version) {
        return DocumentRecord.queued(DOC_ID, "acme", "manual.pdf", "documents/acme/manual.pdf", Instant.parse("2025-01-01T00:00:00Z"))
                .newVersion(version, "0066A0B1C2D3E4F501", 257_018, Instant.parse("2025-01-01T00:00:01Z"))
                .planned(2, 1, "Pump manual", null, Instant.parse("2025-01-01T00:00:02Z"));
    }

    /** About 1,300 tokens of numbered maintenance steps. */
    private static String page(int page) {
        return IntStream.rangeClosed(1, 60)
                .mapToObj(i -> "Step " + page + "." + i + ": close valve V-" + (100 * page + i)
                        + " and check that the pressure gauge reads below " + (i % 7 + 2) + " bar before you continue.")
                .collect(Collectors.joining(" "));
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
        try (InputStream in = ChunkHandlerTest.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("No test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
