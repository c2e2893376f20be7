package dev.quarry.local;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;

/** AWS SDK v2 clients pointed at the local stack, as a user's application would configure them. */
final class Clients {
    static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

    private Clients() {
    }

    static S3Client s3(StackConfig c) {
        return S3Client.builder().endpointOverride(URI.create(c.s3Endpoint())).region(Region.of(c.region()))
                .credentialsProvider(CREDENTIALS).forcePathStyle(true).build();
    }

    static S3Presigner presigner(StackConfig c) {
        return S3Presigner.builder().endpointOverride(URI.create(c.s3Endpoint())).region(Region.of(c.region()))
                .credentialsProvider(CREDENTIALS)
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    static SqsClient sqs(StackConfig c) {
        return SqsClient.builder().endpointOverride(URI.create(c.sqsEndpoint())).region(Region.of(c.region()))
                .credentialsProvider(CREDENTIALS).build();
    }
}
