package dev.quarry.adapters.sqs;

import dev.quarry.core.port.QueueVisibility;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Delays a message's next delivery with SQS {@code ChangeMessageVisibility}. The queue comes from the record's
 * {@code eventSourceARN} ({@code arn:aws:sqs:<region>:<account>:<name>}), looked up once with {@code GetQueueUrl}.
 * The client is built on the first delay, so a sandbox whose records all succeed never pays for it.
 */
public final class SqsQueueVisibility implements QueueVisibility, AutoCloseable {
    /** SQS's longest visibility timeout. */
    static final long MAX_SECONDS = Duration.ofHours(12).toSeconds();

    private final Supplier<SqsClient> clients;
    private volatile SqsClient client;
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();

    public SqsQueueVisibility(Supplier<SqsClient> clients) {
        this.clients = clients;
    }

    /**
     * The client the functions use: the URL connection HTTP client, as every other AWS SDK client of the project,
     * and the default credentials chain (in Lambda: the function role's credentials from the environment).
     *
     * @param endpoint overrides the SDK's endpoint for the region (the local stack's ElasticMQ); empty in AWS
     */
    public static SqsQueueVisibility create(String region, Optional<String> endpoint) {
        return create(region, endpoint, DefaultCredentialsProvider.builder().build());
    }

    /** As {@link #create(String, Optional)}, with the given credentials (tests against a local endpoint). */
    public static SqsQueueVisibility create(String region, Optional<String> endpoint, AwsCredentialsProvider credentials) {
        return new SqsQueueVisibility(() -> {
            // Inline for each requeued record: an SQS that cannot be reached costs a record at most 3 s per call, then
            // a warning, not the invocation's whole time.
            SqsClientBuilder builder = SqsClient.builder().region(Region.of(region)).credentialsProvider(credentials)
                    .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(3)).build())
                    .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(3)));
            endpoint.ifPresent(e -> builder.endpointOverride(URI.create(e)));
            return builder.build();
        });
    }

    @Override
    public void delay(String eventSourceArn, String receiptHandle, Duration delay) {
        int seconds = (int) Math.min(MAX_SECONDS, Math.max(0, ceilSeconds(delay)));
        try {
            String url = queueUrl(eventSourceArn);
            client().changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(receiptHandle).visibilityTimeout(seconds));
        } catch (SdkException | IllegalArgumentException e) {
            throw new QueueVisibilityException("Failed to delay the next delivery of a message of " + eventSourceArn + " by "
                    + seconds + " s: " + e.getMessage(), e);
        }
    }

    private String queueUrl(String eventSourceArn) {
        return queueUrls.computeIfAbsent(eventSourceArn, arn -> {
            QueueArn queue = QueueArn.parse(arn);
            return client().getQueueUrl(b -> b.queueName(queue.name()).queueOwnerAWSAccountId(queue.account())).queueUrl();
        });
    }

    private SqsClient client() {
        SqsClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = clients.get();
                }
                c = client;
            }
        }
        return c;
    }

    private static long ceilSeconds(Duration delay) {
        return delay.getNano() == 0 ? delay.getSeconds() : delay.getSeconds() + 1;
    }

    @Override
    public void close() {
        SqsClient c = client;
        if (c != null) {
            c.close();
        }
    }

    /** The parts of an SQS queue ARN the SDK needs to find the queue. */
    record QueueArn(String region, String account, String name) {
        static QueueArn parse(String arn) {
            String[] parts = arn == null ? new String[0] : arn.split(":", 6);
            if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("sqs") || parts[4].isEmpty() || parts[5].isEmpty()) {
                throw new IllegalArgumentException("not an SQS queue ARN (arn:aws:sqs:<region>:<account>:<name>): '" + arn + "'");
            }
            return new QueueArn(parts[3], parts[4], parts[5]);
        }
    }

    /** The queue refused the change or could not be reached; the message keeps the queue's visibility timeout. */
    public static final class QueueVisibilityException extends RuntimeException {
        public QueueVisibilityException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
