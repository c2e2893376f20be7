package dev.quarry.local;

import dev.quarry.adapters.sqs.SqsQueueVisibility;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event source's keep-hidden heartbeat never overrides a visibility a client (the function) set through the
 * stack's SQS endpoint: Lambda's event source mapping leaves a failed message's visibility to the function.
 */
class SqsEndpointTest {
    private static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    private static SQSRestServer elasticMq;
    private static SqsEndpoint endpoint;
    private static String endpointUrl;
    private static SqsClient direct;
    private static SqsClient client;

    @BeforeAll
    static void start() throws IOException {
        int elasticMqPort = freePort();
        int endpointPort = freePort();
        elasticMq = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(elasticMqPort).withAWSRegion("us-east-1")
                .withAWSAccountId("000000000000").start();
        elasticMq.waitUntilStarted();
        endpoint = new SqsEndpoint(endpointPort, "http://127.0.0.1:" + elasticMqPort);
        endpointUrl = "http://127.0.0.1:" + endpointPort;
        direct = client("http://127.0.0.1:" + elasticMqPort);
        client = client(endpointUrl);
    }

    @AfterAll
    static void stop() {
        client.close();
        direct.close();
        endpoint.close();
        elasticMq.stopAndWait();
    }

    @Test
    void the_heartbeat_leaves_a_message_alone_once_the_function_delayed_it_and_keeps_the_others_hidden() throws Exception {
        String name = "visibility-" + UUID.randomUUID().toString().substring(0, 8);
        String url = client.createQueue(b -> b.queueName(name).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30")))
                .queueUrl();
        String arn = client.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        client.sendMessage(b -> b.queueUrl(url).messageBody("delayed by the function"));
        client.sendMessage(b -> b.queueUrl(url).messageBody("left to the queue"));
        List<Message> batch = direct.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(2)).messages();
        assertThat(batch).hasSize(2);
        Message delayed = batch.stream().filter(m -> m.body().startsWith("delayed")).findFirst().orElseThrow();
        Message other = batch.stream().filter(m -> m.body().startsWith("left")).findFirst().orElseThrow();

        try (SqsQueueVisibility function = SqsQueueVisibility.create("us-east-1", Optional.of(endpointUrl), CREDENTIALS)) {
            function.delay(arn, delayed.receiptHandle(), Duration.ofSeconds(2));
        }
        // A heartbeat after the function's change: as the event source runs it, extending to 30 s.
        AtomicInteger extended = new AtomicInteger();
        for (Message m : batch) {
            endpoint.unlessChangedByClient(m.receiptHandle(), () -> {
                extended.incrementAndGet();
                direct.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()).visibilityTimeout(30));
            });
        }

        assertThat(extended).as("only the message the function left alone is kept hidden").hasValue(1);
        List<Message> back = direct.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(10)).messages();
        assertThat(back).extracting(Message::messageId).containsExactly(delayed.messageId());
        assertThat(back).extracting(Message::messageId).doesNotContain(other.messageId());

        endpoint.settled(batch.stream().map(Message::receiptHandle).toList());
        endpoint.unlessChangedByClient(delayed.receiptHandle(), extended::incrementAndGet);
        assertThat(extended).as("a settled batch's handles are forgotten").hasValue(2);
    }

    private static SqsClient client(String url) {
        return SqsClient.builder().endpointOverride(URI.create(url)).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
