package dev.quarry.ai;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.quarry.config.EmbeddingProvider;
import dev.quarry.core.Ids;
import dev.quarry.core.lambda.Backoff;
import dev.quarry.core.lambda.S3EventBatchProcessor;
import dev.quarry.core.pipeline.DocumentLifecycle;
import dev.quarry.core.pipeline.EmbedService;
import dev.quarry.core.pipeline.Keys;
import dev.quarry.core.pipeline.WorkFiles;
import dev.quarry.core.port.Embedder;
import dev.quarry.model.Chunk;
import dev.quarry.model.ChunkSpan;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;
import dev.quarry.model.ErrorCode;
import dev.quarry.testsupport.FakeHttpEndpoint;
import dev.quarry.testsupport.InMemoryObjectStore;
import dev.quarry.testsupport.InMemoryStatusStore;
import dev.quarry.testsupport.S3Events;
import dev.quarry.testsupport.SigV4Proxy;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embed stage against a Titan endpoint that throttles and fails for a while, then recovers: the real Bedrock
 * client (behind a proxy that checks SigV4 as Bedrock does), langchain4j's retries, the batch processor's
 * classification and the queue's redelivery. Nothing is lost (the document is not failed, the message goes back to
 * the queue) and nothing is counted twice (the recovered part's vectors and tokens equal a clean run's).
 */
class EmbeddingOutageTest {
    private static final AwsBasicCredentials KEYS = AwsBasicCredentials.create("AKIDQUARRYTEST", "x");
    private static final String REGION = "eu-central-1";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String TENANT = "acme";
    private static final String NAME = "report.pdf";
    private static final String ID = Keys.documentId(TENANT, NAME);
    private static final String VERSION = "0123456789abcdef0123456789abcdef";
    private static final String CHUNKS_KEY = Keys.work(Keys.CHUNKS, TENANT, ID, VERSION, 0);
    private static final String EMBEDDED_KEY = Keys.work(Keys.EMBEDDED, TENANT, ID, VERSION, 0);
    private static final int MAX_RECEIVE_COUNT = 3;

    /** Titan on a local port: queued replies first, then a fixed unit vector and 4 input tokens per text. */
    static final class FlakyTitan extends FakeHttpEndpoint {
        FlakyTitan() throws IOException {
        }

        /** Queues {@code count} failures in turn: 429 throttling, 503 unavailable, 500 internal error. */
        void failsFor(int count) {
            for (int i = 0; i < count; i++) {
                switch (i % 3) {
                    case 0 -> enqueue(429, Map.of("x-amzn-ErrorType", "ThrottlingException"), "{\"message\":\"Too many requests\"}");
                    case 1 -> enqueue(503, Map.of("x-amzn-ErrorType", "ServiceUnavailableException"), "{\"message\":\"Service unavailable\"}");
                    default -> enqueue(500, Map.of("x-amzn-ErrorType", "InternalServerException"), "{\"message\":\"Internal error\"}");
                }
            }
        }

        @Override
        protected Reply nothingQueued() {
            return new Reply(200, Map.of(), "{\"embedding\":[0.6,0.8,0.0],\"inputTextTokenCount\":4}");
        }
    }

    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final InMemoryStatusStore statuses = new InMemoryStatusStore();
    private final DocumentLifecycle documents = new DocumentLifecycle(statuses, Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));
    private final List<Duration> slept = new ArrayList<>();

    @Test
    void throttled_and_failing_titan_calls_send_the_part_back_to_the_queue_and_the_redelivery_matches_a_clean_run() throws Exception {
        WorkFiles.EmbeddedPart clean = cleanRun();
        try (FlakyTitan titan = new FlakyTitan(); SigV4Proxy bedrock = bedrock(titan)) {
            documentBeingEmbedded();
            titan.failsFor(1000); // longer than one delivery's every try

            SQSBatchResponse first = processor(titan(bedrock)).process(event(1));

            int callsInFirstDelivery = titan.received().size();
            assertThat(failedIds(first)).as("left to the queue").containsExactly("m1");
            assertThat(slept).as("one in-process retry, with backoff").hasSize(1);
            assertThat(callsInFirstDelivery).as("calls to Titan in one delivery: 2 tries of the stage x 3 attempts of the SDK,"
                    + " no third layer of retries").isEqualTo(6);
            DocumentRecord during = statuses.get(ID).orElseThrow();
            assertThat(during.status()).as("an outage does not fail the document").isEqualTo(DocumentStatus.EMBEDDING);
            assertThat(during.errorCode()).isNull();
            assertThat(store.keys()).as("no embedded part yet").doesNotContain(EMBEDDED_KEY);

            // The endpoint recovers; the queue delivers the message again.
            titan.clearQueue();
            SQSBatchResponse second = processor(titan(bedrock)).process(event(2));

            assertThat(failedIds(second)).isEmpty();
            assertThat(titan.received().size() - callsInFirstDelivery).as("one call per chunk once it is back").isEqualTo(3);
            assertThat(bedrock.refused()).as("every call was signed for Bedrock in " + REGION).isEmpty();
            WorkFiles.EmbeddedPart recovered = WorkFiles.read(store, EMBEDDED_KEY, WorkFiles.EmbeddedPart.class);
            assertThat(recovered.vectors()).extracting(WorkFiles.ChunkVector::chunkId)
                    .containsExactlyElementsOf(clean.vectors().stream().map(WorkFiles.ChunkVector::chunkId).toList());
            assertThat(recovered.vectors()).extracting(WorkFiles.ChunkVector::vector)
                    .containsExactlyElementsOf(clean.vectors().stream().map(WorkFiles.ChunkVector::vector).toList());
            assertThat(recovered.embeddingTokens()).as("the tokens of the try that succeeded, not of the failed ones")
                    .isEqualTo(clean.embeddingTokens()).isEqualTo(12);
            assertThat(statuses.get(ID).orElseThrow().status()).isEqualTo(DocumentStatus.EMBEDDING);
        }
    }

    @Test
    void an_outage_that_outlasts_every_delivery_ends_the_document_unavailable_and_the_message_in_the_dead_letter_queue()
            throws Exception {
        try (FlakyTitan titan = new FlakyTitan(); SigV4Proxy bedrock = bedrock(titan)) {
            documentBeingEmbedded();
            titan.failsFor(1000);

            SQSBatchResponse last = processor(titan(bedrock)).process(event(MAX_RECEIVE_COUNT));

            assertThat(failedIds(last)).as("reported, so the queue moves it to the DLQ").containsExactly("m1");
            DocumentRecord record = statuses.get(ID).orElseThrow();
            assertThat(record.status()).isEqualTo(DocumentStatus.FAILED);
            assertThat(record.errorCode()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(record.reason()).contains("The embed stage kept failing on a service it needs through 3 deliveries")
                    .contains("redrive");
            assertThat(store.keys()).doesNotContain(EMBEDDED_KEY);
        }
    }

    @Test
    void titan_refusing_the_call_is_not_retried_and_says_which_settings_to_check() throws Exception {
        try (FlakyTitan titan = new FlakyTitan(); SigV4Proxy bedrock = bedrock(titan)) {
            documentBeingEmbedded();
            titan.enqueue(403, Map.of("x-amzn-ErrorType", "AccessDeniedException"),
                    "{\"message\":\"You don't have access to the model with the specified model ID.\"}");

            SQSBatchResponse response = processor(titan(bedrock)).process(event(1));

            assertThat(failedIds(response)).as("done: another delivery would be refused the same way").isEmpty();
            assertThat(titan.received()).as("one call, no retry").hasSize(1);
            DocumentRecord record = statuses.get(ID).orElseThrow();
            assertThat(record.status()).isEqualTo(DocumentStatus.FAILED);
            assertThat(record.errorCode()).isEqualTo(ErrorCode.MODEL_REJECTED);
            assertThat(record.reason()).contains("quarry.embedding");
        }
    }

    /** The part embedded by an endpoint that never fails. */
    private WorkFiles.EmbeddedPart cleanRun() throws IOException {
        try (FlakyTitan titan = new FlakyTitan(); SigV4Proxy bedrock = bedrock(titan)) {
            documentBeingEmbedded();
            assertThat(failedIds(processor(titan(bedrock)).process(event(1)))).isEmpty();
            WorkFiles.EmbeddedPart part = WorkFiles.read(store, EMBEDDED_KEY, WorkFiles.EmbeddedPart.class);
            store.clear();
            statuses.clear();
            return part;
        }
    }

    private void documentBeingEmbedded() {
        statuses.put(DocumentRecord.queued(ID, TENANT, NAME, Keys.document(TENANT, NAME), T0)
                .newVersion(VERSION, "0001", 1000, T0).planned(3, 1, null, null, T0).withStatus(DocumentStatus.CHUNKING, T0));
        List<Chunk> chunks = IntStream.range(0, 3).mapToObj(i -> {
            String text = "Inventories rose to " + (5_000 + i) + " million dollars.";
            return new Chunk(Ids.chunkId(ID, VERSION, 0, i), TENANT, ID, VERSION, NAME, 0, i, i + 1, i + 1, text,
                    List.of(new ChunkSpan(i + 1, 0, text.length())), 8);
        }).toList();
        WorkFiles.write(store, CHUNKS_KEY, new WorkFiles.ChunkedPart(
                new WorkFiles.PartRef(TENANT, ID, NAME, Keys.document(TENANT, NAME), VERSION, 0, 1), chunks));
    }

    private S3EventBatchProcessor processor(Embedder embedder) {
        EmbedService service = new EmbedService(store, documents, embedder, 16);
        return new S3EventBatchProcessor("embed", service::handle, MAX_RECEIVE_COUNT,
                new Backoff(2, Duration.ofMillis(10), Duration.ofMillis(50)), documents::fail, slept::add, new SplittableRandom(7));
    }

    private static SigV4Proxy bedrock(FlakyTitan titan) throws IOException {
        return SigV4Proxy.builder(URI.create(titan.root())).service("bedrock").region(REGION).credentials(KEYS).start();
    }

    private static Embedder titan(SigV4Proxy bedrock) {
        return Embedders.create(EmbeddingProvider.BEDROCK, "amazon.titan-embed-text-v2:0", 3, Optional.empty(), REGION,
                Optional.of(bedrock.endpoint()), StaticCredentialsProvider.create(KEYS));
    }

    private static SQSEvent event(int receiveCount) {
        return S3Events.sqsBatch(S3Events.sqsMessage("m1",
                S3Events.notification(S3Events.created("bucket", CHUNKS_KEY, 100, "etag", "0002")), receiveCount));
    }

    private static List<String> failedIds(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }
}
