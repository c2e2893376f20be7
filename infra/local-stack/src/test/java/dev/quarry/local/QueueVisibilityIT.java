package dev.quarry.local;

import dev.quarry.adapters.sqs.SqsQueueVisibility;
import dev.quarry.adapters.sqs.SqsUploadExpiry;
import dev.quarry.core.pipeline.ExpireUploadTask;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Backoff between deliveries through the real adapter against the stack's SQS (ElasticMQ): a received message
 * whose visibility the adapter changed stays hidden for that delay and comes back long before the queue's own
 * visibility timeout.
 */
@ExtendWith(StackSession.class)
class QueueVisibilityIT {
    private static final int QUEUE_VISIBILITY_SECONDS = 60;
    private static StackConfig config;

    @BeforeAll
    static void setUp() {
        config = StackSession.ensure();
    }

    @Test
    void a_message_delayed_through_the_adapter_is_hidden_for_the_delay_and_back_before_the_queues_visibility_timeout() {
        try (SqsClient sqs = Clients.sqs(config);
                SqsQueueVisibility adapter = SqsQueueVisibility.create(config.region(), Optional.of(config.sqsEndpoint()), Clients.CREDENTIALS)) {
            String name = "it-visibility-" + UUID.randomUUID().toString().substring(0, 8);
            String url = sqs.createQueue(b -> b.queueName(name)
                    .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(QUEUE_VISIBILITY_SECONDS)))).queueUrl();
            try {
                String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                        .attributes().get(QueueAttributeName.QUEUE_ARN);
                assertThat(arn).startsWith("arn:aws:sqs:" + config.region() + ":").endsWith(":" + name);
                sqs.sendMessage(b -> b.queueUrl(url).messageBody("throttled"));
                Message received = receive(sqs, url, 5).orElseThrow();

                long delayed = System.nanoTime();
                adapter.delay(arn, received.receiptHandle(), Duration.ofSeconds(3));

                assertThat(receive(sqs, url, 1)).as("hidden right after the delay was set").isEmpty();
                Optional<Message> again = receive(sqs, url, 20);
                long backAfterMillis = (System.nanoTime() - delayed) / 1_000_000;
                assertThat(again).as("visible again after the delay").isPresent();
                assertThat(again.get().messageId()).isEqualTo(received.messageId());
                assertThat(again.get().attributes().get(software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName
                        .APPROXIMATE_RECEIVE_COUNT)).isEqualTo("2");
                assertThat(backAfterMillis).as("not before the delay (3 s), and well before the queue's %d s", QUEUE_VISIBILITY_SECONDS)
                        .isGreaterThanOrEqualTo(2_500).isLessThan(QUEUE_VISIBILITY_SECONDS * 1000L / 2);
            } finally {
                sqs.deleteQueue(b -> b.queueUrl(url));
            }
        }
    }

    @Test
    void a_stale_receipt_handle_fails_with_the_adapters_exception_naming_the_queue() {
        try (SqsClient sqs = Clients.sqs(config);
                SqsQueueVisibility adapter = SqsQueueVisibility.create(config.region(), Optional.of(config.sqsEndpoint()), Clients.CREDENTIALS)) {
            String name = "it-visibility-" + UUID.randomUUID().toString().substring(0, 8);
            String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
            try {
                String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                        .attributes().get(QueueAttributeName.QUEUE_ARN);
                sqs.sendMessage(b -> b.queueUrl(url).messageBody("done"));
                Message received = receive(sqs, url, 5).orElseThrow();
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(received.receiptHandle()));

                assertThatThrownBy(() -> adapter.delay(arn, received.receiptHandle(), Duration.ofSeconds(5)))
                        .isInstanceOf(SqsQueueVisibility.QueueVisibilityException.class).hasMessageContaining(arn);
                assertThatThrownBy(() -> adapter.delay("arn:aws:sqs:" + config.region() + ":000000000000:no-such-queue-" + name,
                        "handle", Duration.ofSeconds(5))).isInstanceOf(SqsQueueVisibility.QueueVisibilityException.class);
            } finally {
                sqs.deleteQueue(b -> b.queueUrl(url));
            }
        }
    }

    @Test
    void an_upload_expiry_is_held_back_by_the_queue_for_its_delay_and_then_delivered_as_the_task() {
        try (SqsClient sqs = Clients.sqs(config)) {
            String name = "it-expiry-" + UUID.randomUUID().toString().substring(0, 8);
            String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
            try (SqsUploadExpiry adapter = SqsUploadExpiry.create(config.region(), Optional.of(config.sqsEndpoint()), url,
                    Clients.CREDENTIALS)) {
                long sent = System.nanoTime();
                adapter.schedule("0123456789abcdef01234567", Duration.ofSeconds(3));

                assertThat(receive(sqs, url, 1)).as("held back right after it was sent").isEmpty();
                Optional<Message> delivered = receive(sqs, url, 20);
                long afterMillis = (System.nanoTime() - sent) / 1_000_000;
                assertThat(delivered).isPresent();
                assertThat(ExpireUploadTask.parse(delivered.get().body())).contains(new ExpireUploadTask("0123456789abcdef01234567"));
                assertThat(afterMillis).as("not before its 3 s delay").isGreaterThanOrEqualTo(2_500);
            } finally {
                sqs.deleteQueue(b -> b.queueUrl(url));
            }
        }
    }

    @Test
    void creating_a_document_through_the_api_puts_its_expiry_on_the_index_queue_held_back_for_fifteen_minutes() {
        try (SqsClient sqs = Clients.sqs(config)) {
            String indexQueue = sqs.getQueueUrl(b -> b.queueName("quarry-index")).queueUrl();
            int before = delayed(sqs, indexQueue);

            Api.Response created = new Api(config, "it-expiry-" + UUID.randomUUID().toString().substring(0, 8))
                    .call("POST", "/v1/documents", "{\"name\":\"never-uploaded.pdf\"}");

            assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
            assertThat(delayed(sqs, indexQueue)).as("messages the index queue holds back").isEqualTo(before + 1);
        }
    }

    private static int delayed(SqsClient sqs, String url) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
    }

    private static Optional<Message> receive(SqsClient sqs, String url, int waitSeconds) {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(waitSeconds).maxNumberOfMessages(1)
                .messageSystemAttributeNames(software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName.ALL)).messages();
        return messages.stream().findFirst();
    }
}
