package dev.quarry.adapters.sqs;

import dev.quarry.core.pipeline.ExpireUploadTask;
import dev.quarry.core.port.UploadExpiry;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Sends an {@link ExpireUploadTask} to the index stage's queue with SQS's message timer ({@code DelaySeconds}, at most
 * 15 minutes), so the queue holds it back until the upload URL has expired. No scheduler is involved: nothing runs,
 * and nothing costs, while no document waits for its bytes.
 */
public final class SqsUploadExpiry implements UploadExpiry, AutoCloseable {
    /** SQS's longest message timer. */
    static final Duration MAX_DELAY = Duration.ofMinutes(15);

    private final SqsClient client;
    private final String queueUrl;

    public SqsUploadExpiry(SqsClient client, String queueUrl) {
        this.client = client;
        this.queueUrl = queueUrl;
    }

    /**
     * The client the query function uses: the URL connection HTTP client and the default credentials chain.
     *
     * @param endpoint overrides the SDK's endpoint for the region (the local stack's SQS); empty in AWS
     */
    public static SqsUploadExpiry create(String region, Optional<String> endpoint, String queueUrl) {
        return create(region, endpoint, queueUrl, DefaultCredentialsProvider.builder().build());
    }

    public static SqsUploadExpiry create(String region, Optional<String> endpoint, String queueUrl, AwsCredentialsProvider credentials) {
        // It runs inside POST /v1/documents: an SQS that cannot be reached costs the request at most 3 s, then a warning.
        SqsClientBuilder builder = SqsClient.builder().region(Region.of(region)).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(3)).build())
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(3)));
        endpoint.ifPresent(e -> builder.endpointOverride(URI.create(e)));
        return new SqsUploadExpiry(builder.build(), queueUrl);
    }

    /** Delays longer than SQS's 15 minutes are cut to 15: the index stage then finds the URL still valid and does nothing. */
    @Override
    public void schedule(String documentId, Duration after) {
        long seconds = Math.max(0, Math.min(MAX_DELAY.toSeconds(), after.toSeconds() + (after.getNano() == 0 ? 0 : 1)));
        client.sendMessage(b -> b.queueUrl(queueUrl).delaySeconds((int) seconds).messageBody(new ExpireUploadTask(documentId).body()));
    }

    @Override
    public void close() {
        client.close();
    }
}
