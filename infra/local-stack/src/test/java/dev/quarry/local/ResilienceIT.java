package dev.quarry.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.adapters.opensearch.OpenSearchClients;
import dev.quarry.adapters.opensearch.OpenSearchStatusStore;
import dev.quarry.core.pipeline.Keys;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** At-least-once delivery and poison messages, through the real queues and functions. */
@ExtendWith(StackSession.class)
class ResilienceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static StackConfig config;

    @BeforeAll
    static void setUp() {
        config = StackSession.ensure();
    }

    @Test
    void a_poison_message_ends_in_the_dead_letter_queue_without_blocking_its_queue() {
        try (SqsClient sqs = Clients.sqs(config)) {
            String queue = sqs.getQueueUrl(b -> b.queueName("quarry-chunk")).queueUrl();
            String dlq = sqs.getQueueUrl(b -> b.queueName("quarry-chunk-dlq")).queueUrl();
            String marker = "poison-" + UUID.randomUUID();
            sqs.sendMessage(b -> b.queueUrl(queue).messageBody("this is not an S3 event " + marker));

            // A good document sent after the poison: its extracted part goes through the same chunk queue.
            Api api = new Api(config, "it-poison-" + UUID.randomUUID().toString().substring(0, 8));
            String good = api.upload("after-poison.pdf",
                    config.projectRoot().resolve("shared/core/src/test/resources/pdfs/debian-handbook__ssh-L.pdf"));
            JsonNode done = api.awaitTerminal(List.of(good), Duration.ofMinutes(4)).get(good);
            assertThat(done.path("status").asText()).as("the document sent after the poison: %s", done).isEqualTo("READY");
            assertThat(done.path("chunks").asInt()).isPositive();

            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            List<String> seen = new ArrayList<>();
            while (System.nanoTime() < deadline && seen.stream().noneMatch(s -> s.contains(marker))) {
                for (Message m : sqs.receiveMessage(b -> b.queueUrl(dlq).waitTimeSeconds(2).maxNumberOfMessages(10)).messages()) {
                    seen.add(m.body());
                    if (m.body().contains(marker)) {
                        sqs.deleteMessage(b -> b.queueUrl(dlq).receiptHandle(m.receiptHandle()));
                    } else {
                        sqs.changeMessageVisibility(b -> b.queueUrl(dlq).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
                    }
                }
            }
            assertThat(seen).anyMatch(s -> s.contains(marker));
        }
    }

    @Test
    void a_corrupt_work_file_ends_its_document_failed_at_once_with_a_reason_and_is_not_retried() throws Exception {
        Api api = new Api(config, "it-giveup-" + UUID.randomUUID().toString().substring(0, 8));
        String name = "broken.pdf";
        String id = Keys.documentId(api.tenant, name);
        String version = "poison" + UUID.randomUUID().toString().replace("-", "");
        Instant now = Instant.now();
        try (OpenSearchClients.Handle os = OpenSearchClients.local(config.openSearchEndpoint());
                S3Client s3 = Clients.s3(config); SqsClient sqs = Clients.sqs(config)) {
            // A version in the middle of the pipeline whose extracted part is corrupt: another delivery of its
            // notification to the chunk function would fail the same way, so the first one ends the document.
            new OpenSearchStatusStore(os.client(), "quarry-documents").update(id, current -> Optional.of(
                    DocumentRecord.queued(id, api.tenant, name, Keys.document(api.tenant, name), now)
                            .newVersion(version, "0000000000000001", 1234, now)
                            .planned(1, 1, null, null, now)
                            .withStatus(DocumentStatus.CHUNKING, now)));
            String partKey = Keys.work(Keys.EXTRACTED, api.tenant, id, version, 0);
            s3.putObject(b -> b.bucket(config.bucket()).key(partKey), RequestBody.fromString("{\"ref\": not json"));

            JsonNode failed = api.awaitTerminal(List.of(id), Duration.ofMinutes(4)).get(id);

            assertThat(failed.path("status").asText()).isEqualTo("FAILED");
            assertThat(failed.path("errorCode").asText()).isEqualTo("INTERNAL");
            assertThat(failed.path("reason").asText())
                    .isEqualTo("The work file " + partKey + " is corrupt (not a valid ExtractedPart), so this version cannot go on. "
                            + "Upload the PDF again.");
            // Retried, the message would come back after the queue's visibility timeout and reach the DLQ after
            // maxReceiveCount deliveries; ended at once, it was deleted.
            String dlq = sqs.getQueueUrl(b -> b.queueName("quarry-chunk-dlq")).queueUrl();
            assertThat(drainMatching(sqs, dlq, version, Duration.ofSeconds(config.localVisibilityTimeoutSeconds() * 3L + 10)))
                    .as("the part's message is not dead-lettered: it was not retried").isFalse();
        }
    }

    /** Receives from {@code queueUrl} until a message mentioning {@code marker} is seen (and deletes it). */
    private static boolean drainMatching(SqsClient sqs, String queueUrl, String marker, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Message m : sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(2).maxNumberOfMessages(10)).messages()) {
                if (m.body().contains(marker)) {
                    sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                    return true;
                }
                sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
            }
        }
        return false;
    }

    @Test
    void delivering_every_message_twice_and_out_of_order_leaves_the_same_index() throws Exception {
        Api api = new Api(config, "it-replay-" + UUID.randomUUID().toString().substring(0, 8));
        String id = api.upload("manual.pdf", config.projectRoot().resolve("shared/core/src/test/resources/pdfs/texlive-latex-base-doc__xspace.pdf"));
        JsonNode before = api.awaitTerminal(List.of(id), Duration.ofMinutes(3)).get(id);
        assertThat(before.path("status").asText()).isEqualTo("READY");
        TreeSet<String> chunkIds = chunkIds(api.tenant, id);
        assertThat(chunkIds).hasSize(before.path("chunks").asInt());

        // The upload's own event, as S3 would redeliver it: same eTag and sequencer (a replay, not a new upload).
        String uploadSequencer;
        try (OpenSearchClients.Handle os = OpenSearchClients.local(config.openSearchEndpoint())) {
            uploadSequencer = new OpenSearchStatusStore(os.client(), "quarry-documents").get(id).orElseThrow().sequencer();
        }
        assertThat(uploadSequencer).isNotBlank();
        try (S3Client s3 = Clients.s3(config); SqsClient sqs = Clients.sqs(config)) {
            Pipeline pipeline = Pipeline.load(config.projectRoot());
            List<String[]> deliveries = new ArrayList<>(); // {queue, body}
            List<String> keys = new ArrayList<>();
            keys.add("documents/" + api.tenant + "/manual.pdf");
            for (String stage : List.of("ranges", "extracted", "chunks", "embedded")) {
                s3.listObjectsV2Paginator(b -> b.bucket(config.bucket()).prefix("work/" + stage + "/" + api.tenant + "/" + id + "/"))
                        .contents().stream().map(S3Object::key).forEach(keys::add);
            }
            assertThat(keys).hasSizeGreaterThanOrEqualTo(5);
            for (String key : keys) {
                var head = s3.headObject(b -> b.bucket(config.bucket()).key(key));
                String event = S3Notifications.created(config, key, head.contentLength(), head.eTag().replace("\"", ""),
                        key.startsWith("documents/") ? uploadSequencer : "0000000000000001");
                for (String queue : BucketNotifications.of(pipeline).destinations(key, "ObjectCreated:Put")) {
                    String url = sqs.getQueueUrl(b -> b.queueName("quarry-" + queue)).queueUrl();
                    deliveries.add(new String[] {url, event});
                    deliveries.add(new String[] {url, event});
                }
            }
            Collections.shuffle(deliveries, new Random(42));
            for (String[] d : deliveries) {
                sqs.sendMessage(b -> b.queueUrl(d[0]).messageBody(d[1]));
            }
            awaitQueuesDrained(sqs, pipeline);
        }
        JsonNode after = api.document(id);
        assertThat(after.path("status").asText()).isEqualTo("READY");
        assertThat(after.path("chunks").asInt()).isEqualTo(before.path("chunks").asInt());
        assertThat(chunkIds(api.tenant, id)).isEqualTo(chunkIds);
    }

    private static void awaitQueuesDrained(SqsClient sqs, Pipeline pipeline) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        int quiet = 0;
        while (System.nanoTime() < deadline && quiet < 3) {
            long inFlight = 0;
            for (Pipeline.Stage stage : pipeline.stages()) {
                String url = sqs.getQueueUrl(b -> b.queueName(stage.queueName())).queueUrl();
                Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
                inFlight += Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                        + Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
            }
            quiet = inFlight == 0 ? quiet + 1 : 0;
            Servers.sleep(1000);
        }
        assertThat(quiet).as("pipeline queues drained").isGreaterThanOrEqualTo(3);
    }

    /** The chunk ids in the index for one document, read straight from OpenSearch. */
    static TreeSet<String> chunkIds(String tenant, String documentId) throws Exception {
        String body = "{\"size\":1000,\"_source\":[\"chunkId\"],\"query\":{\"bool\":{\"filter\":[{\"term\":{\"tenant\":\"" + tenant
                + "\"}},{\"term\":{\"documentId\":\"" + documentId + "\"}}]}}}";
        HttpClient http = HttpClient.newHttpClient();
        http.send(HttpRequest.newBuilder(URI.create(config.openSearchEndpoint() + "/quarry-chunks/_refresh"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(config.openSearchEndpoint() + "/quarry-chunks/_search"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        TreeSet<String> ids = new TreeSet<>();
        for (JsonNode h : JSON.readTree(r.body()).path("hits").path("hits")) {
            assertThat(h.path("_id").asText()).isEqualTo(h.path("_source").path("chunkId").asText());
            ids.add(h.path("_id").asText());
        }
        return ids;
    }
}
