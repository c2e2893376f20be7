package dev.quarry.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.adapters.opensearch.OpenSearchChunkIndex;
import dev.quarry.adapters.opensearch.OpenSearchClients;
import dev.quarry.adapters.opensearch.OpenSearchIndices;
import dev.quarry.core.port.ChunkIndex;
import dev.quarry.model.Chunk;
import dev.quarry.model.ChunkSpan;
import dev.quarry.model.IndexedChunk;
import dev.quarry.model.SearchHit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real round trips through the stack's S3, SQS and OpenSearch servers with the clients the product uses. */
@ExtendWith(StackSession.class)
class StackRoundTripIT {
    private static StackConfig config;
    private static S3Client s3;
    private static SqsClient sqs;

    @BeforeAll
    static void clients() {
        config = StackSession.ensure();
        s3 = Clients.s3(config);
        sqs = Clients.sqs(config);
    }

    @AfterAll
    static void close() {
        s3.close();
        sqs.close();
    }

    @Test
    void s3_put_get_list_delete_round_trip() {
        String prefix = "roundtrip/" + UUID.randomUUID() + "/";
        s3.putObject(b -> b.bucket(config.bucket()).key(prefix + "a b.txt"), RequestBody.fromString("hello quarry"));
        s3.putObject(b -> b.bucket(config.bucket()).key(prefix + "c.txt"), RequestBody.fromString("second"));

        assertThat(s3.getObjectAsBytes(b -> b.bucket(config.bucket()).key(prefix + "a b.txt")).asUtf8String()).isEqualTo("hello quarry");
        assertThat(s3.listObjectsV2(b -> b.bucket(config.bucket()).prefix(prefix)).contents()).extracting(S3Object::key)
                .containsExactly(prefix + "a b.txt", prefix + "c.txt");

        s3.deleteObject(b -> b.bucket(config.bucket()).key(prefix + "a b.txt"));
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(config.bucket()).key(prefix + "a b.txt")))
                .isInstanceOf(NoSuchKeyException.class);
        s3.deleteObject(b -> b.bucket(config.bucket()).key(prefix + "c.txt"));
    }

    @Test
    void presigned_put_stores_the_bytes() throws Exception {
        String key = "roundtrip/" + UUID.randomUUID() + "/presigned.bin";
        try (var presigner = Clients.presigner(config)) {
            URI url = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(o -> o.bucket(config.bucket()).key(key))).url().toURI();
            HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url)
                    .PUT(HttpRequest.BodyPublishers.ofString("bytes via a presigned URL")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).isEqualTo(200);
        }
        assertThat(s3.getObjectAsBytes(b -> b.bucket(config.bucket()).key(key)).asString(StandardCharsets.UTF_8))
                .isEqualTo("bytes via a presigned URL");
    }

    @Test
    void sqs_send_receive_delete_round_trip() {
        String url = sqs.createQueue(b -> b.queueName("roundtrip-" + UUID.randomUUID())).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("{\"n\":1}"));
        List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(2)).messages();
        assertThat(got).extracting(Message::body).containsExactly("{\"n\":1}");
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(got.get(0).receiptHandle()));
        assertThat(sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages()).isEmpty();
    }

    @Test
    void an_unprocessed_message_is_redriven_to_the_dlq_after_max_receives() throws Exception {
        String name = "redrive-" + UUID.randomUUID();
        String dlq = sqs.createQueue(b -> b.queueName(name + "-dlq")).queueUrl();
        String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String queue = sqs.createQueue(b -> b.queueName(name).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, "1",
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"2\"}"))).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody("poison"));
        for (int i = 1; i <= 2; i++) {
            // Not deleted: it becomes visible again after the visibility timeout, and the long poll returns it then.
            List<Message> m = sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(20)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            assertThat(m).hasSize(1);
            assertThat(m.get(0).attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).isEqualTo(Integer.toString(i));
        }
        // The receive after the second one moves the message to the DLQ instead of delivering it a third time.
        List<Message> redriven = Await.until("the message in the dead-letter queue", Duration.ofMinutes(1), () -> {
            assertThat(sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1)).messages()).as("a third delivery").isEmpty();
            return sqs.receiveMessage(b -> b.queueUrl(dlq).waitTimeSeconds(1)).messages();
        }, m -> !m.isEmpty());
        assertThat(redriven).extracting(Message::body).containsExactly("poison");
    }

    @Test
    void pipeline_queues_exist_with_their_dead_letter_queues() {
        for (Pipeline.Stage stage : Pipeline.load(config.projectRoot()).stages()) {
            String url = sqs.getQueueUrl(b -> b.queueName(stage.queueName())).queueUrl();
            String redrive = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.REDRIVE_POLICY))
                    .attributes().get(QueueAttributeName.REDRIVE_POLICY);
            assertThat(redrive).contains(stage.dlqName()).contains(Integer.toString(stage.maxReceiveCount()));
        }
    }

    @Test
    void chunk_index_from_infra_definition_supports_bulk_bm25_and_filtered_knn() throws Exception {
        String index = "roundtrip-chunks-" + UUID.randomUUID().toString().substring(0, 8);
        try (var os = OpenSearchClients.local(config.openSearchEndpoint())) {
            var indices = new OpenSearchIndices(os.client(), index, "roundtrip-docs", "roundtrip-queries");
            indices.ensureChunkIndex("test-model", 3);
            ChunkIndex chunks = new OpenSearchChunkIndex(os.client(), indices, index);
            chunks.index(List.of(
                    chunk("t1", "c1", "The octopus has three hearts and blue blood.", new float[] {1, 0, 0}),
                    chunk("t1", "c2", "Glaciers store most of the fresh water on Earth.", new float[] {0, 1, 0}),
                    chunk("t2", "c3", "The octopus of tenant two is secret.", new float[] {1, 0.1f, 0})));
            assertThat(chunks.count("t1", "doc", "v1")).isEqualTo(2);

            ChunkIndex.Retrieval bm25 = chunks.search(new ChunkIndex.Query("t1", "octopus hearts", null, 5, ChunkIndex.Mode.BM25, null));
            assertThat(bm25.bm25()).extracting(SearchHit::chunkId).containsExactly("c1");

            ChunkIndex.Retrieval knn = chunks.search(new ChunkIndex.Query("t1", "x", new float[] {1, 0.05f, 0}, 5, ChunkIndex.Mode.KNN, null));
            assertThat(knn.knn()).extracting(SearchHit::chunkId).containsExactly("c1", "c2"); // c3 is filtered out, not ranked
            assertThat(knn.knn().get(0).spans()).containsExactly(new ChunkSpan(1, 0, 10));

            ObjectMapper json = new ObjectMapper();
            HttpResponse<String> mapping = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(config.openSearchEndpoint() + "/" + index + "/_mapping")).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode props = json.readTree(mapping.body()).path(index).path("mappings");
            assertThat(props.path("properties").path("embedding").path("method").path("engine").asText()).isEqualTo("lucene");
            assertThat(props.path("_meta").path("embedding_model").asText()).isEqualTo("test-model");
            assertThatThrownBy(() -> indices.checkModel("other-model", 3)).isInstanceOf(ChunkIndex.ModelMismatchException.class)
                    .hasMessageContaining("test-model");
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(config.openSearchEndpoint() + "/" + index)).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    private static IndexedChunk chunk(String tenant, String id, String text, float[] vector) {
        return new IndexedChunk(new Chunk(id, tenant, "doc", "v1", "doc.pdf", 0, 0, 1, 1, text, List.of(new ChunkSpan(1, 0, 10)),
                10), vector);
    }

}
