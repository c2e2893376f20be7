package dev.quarry.local;

import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SQS: an in-process ElasticMQ server with each stage's work queue and dead-letter queue from
 * infra/pipeline.json, with the redrive policy terraform/modules/quarry/sqs.tf sets. Clients reach it through
 * {@link SqsEndpoint} on the stack's SQS port; the event sources use it directly.
 */
final class SqsQueues implements AutoCloseable {
    private final SQSRestServer server;
    private final SqsEndpoint endpoint;
    private final SqsClient client;
    private final Map<String, String> urls = new LinkedHashMap<>();

    SqsQueues(StackConfig config, Pipeline pipeline) throws IOException {
        // Queue URLs name the stack's SQS port, where clients reach the queues.
        server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(config.elasticMqPort())
                .withServerAddress(new NodeAddress("http", "127.0.0.1", config.sqsPort(), ""))
                .withAWSRegion(config.region()).withAWSAccountId("000000000000").start();
        server.waitUntilStarted();
        endpoint = new SqsEndpoint(config.sqsPort(), "http://127.0.0.1:" + config.elasticMqPort());
        client = SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + config.elasticMqPort()))
                .region(Region.of(config.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
        for (Pipeline.Stage stage : pipeline.stages()) {
            String dlqUrl = client.createQueue(b -> b.queueName(stage.dlqName())
                    .attributes(Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600"))).queueUrl();
            String dlqArn = client.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            String redrive = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + stage.maxReceiveCount() + "\"}";
            String url = client.createQueue(b -> b.queueName(stage.queueName()).attributes(Map.of(
                    QueueAttributeName.REDRIVE_POLICY, redrive,
                    QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(config.localVisibilityTimeoutSeconds())))).queueUrl();
            urls.put(stage.queue(), url);
            urls.put(stage.queue() + "-dlq", dlqUrl);
        }
    }

    /** A client of ElasticMQ itself, for the event sources: their own calls are not a client's visibility changes. */
    SqsClient client() {
        return client;
    }

    SqsEndpoint endpoint() {
        return endpoint;
    }

    /** The URL of a stage's queue ({@code ingest}) or its dead-letter queue ({@code ingest-dlq}). */
    String url(String queue) {
        String url = urls.get(queue);
        if (url == null) {
            throw new IllegalArgumentException("No queue " + queue + " in infra/pipeline.json");
        }
        return url;
    }

    void send(String queue, String body) {
        client.sendMessage(b -> b.queueUrl(url(queue)).messageBody(body));
    }

    @Override
    public void close() {
        endpoint.close();
        client.close();
        server.stopAndWait();
    }
}
