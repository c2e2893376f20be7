package dev.quarry.adapters.config;

import dev.quarry.adapters.opensearch.OpenSearchBackendHealth;
import dev.quarry.adapters.opensearch.OpenSearchChunkIndex;
import dev.quarry.adapters.opensearch.OpenSearchClients;
import dev.quarry.adapters.opensearch.OpenSearchIndices;
import dev.quarry.adapters.opensearch.OpenSearchQueryLog;
import dev.quarry.adapters.opensearch.OpenSearchStatusStore;
import dev.quarry.adapters.s3.S3ObjectStore;
import dev.quarry.adapters.sqs.SqsQueueVisibility;
import dev.quarry.adapters.sqs.SqsUploadExpiry;
import dev.quarry.config.QuarryConfig;
import dev.quarry.core.lambda.Backoff;
import dev.quarry.core.lambda.Redelivery;
import dev.quarry.core.pipeline.DocumentLifecycle;
import dev.quarry.core.port.ChunkIndex;
import dev.quarry.core.port.ObjectStore;
import dev.quarry.core.port.QueryHistory;
import dev.quarry.core.port.QueueVisibility;
import dev.quarry.core.port.SearchBackendHealth;
import dev.quarry.core.port.StatusStore;
import dev.quarry.core.port.UploadExpiry;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;

/** CDI wiring of the storage adapters; built once per Lambda sandbox, reused across invocations. */
@ApplicationScoped
public class AdapterProducers {

    @Produces
    @Singleton
    OpenSearchClients.Handle openSearch(QuarryConfig config) {
        return OpenSearchClients.create(config.opensearch().endpoint(), config.opensearch().sigv4(), config.opensearch().region());
    }

    void close(@Disposes OpenSearchClients.Handle handle) throws Exception {
        handle.close();
    }

    @Produces
    @Singleton
    OpenSearchIndices indices(OpenSearchClients.Handle os, QuarryConfig config) {
        return new OpenSearchIndices(os.client(), config.opensearch().chunkIndex(), config.opensearch().statusIndex(),
                config.opensearch().queriesIndex(), config.opensearch().replicas());
    }

    @Produces
    @ApplicationScoped
    @DefaultBean
    ChunkIndex chunkIndex(OpenSearchClients.Handle os, OpenSearchIndices indices, QuarryConfig config) {
        return new OpenSearchChunkIndex(os.client(), indices, config.opensearch().chunkIndex(),
                config.search().contextBoost(), config.search().sectionBoost());
    }

    @Produces
    @ApplicationScoped
    @DefaultBean
    StatusStore statusStore(OpenSearchClients.Handle os, OpenSearchIndices indices, QuarryConfig config) {
        return new OpenSearchStatusStore(os.client(), config.opensearch().statusIndex(), indices::ensureStatusIndex);
    }

    @Produces
    @ApplicationScoped
    @DefaultBean
    QueryHistory queryHistory(OpenSearchClients.Handle os, OpenSearchIndices indices, QuarryConfig config) {
        return new OpenSearchQueryLog(os.client(), config.opensearch().queriesIndex(), indices::ensureQueriesIndex);
    }

    @Produces
    @ApplicationScoped
    @DefaultBean
    SearchBackendHealth searchBackendHealth(OpenSearchClients.Handle os) {
        return new OpenSearchBackendHealth(os.client());
    }

    @Produces
    @ApplicationScoped
    @DefaultBean
    ObjectStore objectStore(S3Client s3, QuarryConfig config) {
        return new S3ObjectStore(s3, config.bucket());
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    DocumentLifecycle documents(StatusStore statuses, Clock clock) {
        return new DocumentLifecycle(statuses, clock);
    }

    /** The in-process retries of a transient failure, before the queue's own redelivery. */
    @Produces
    @Singleton
    Backoff backoff(QuarryConfig config) {
        return new Backoff(config.queue().retryAttempts(), config.queue().retryBaseDelay(), config.queue().retryMaxDelay());
    }

    /** The stage's queue, for backoff between deliveries; its SQS client is built on the first delay. */
    @Produces
    @Singleton
    @DefaultBean
    QueueVisibility queueVisibility(QuarryConfig config) {
        return SqsQueueVisibility.create(config.region(), config.queue().endpoint());
    }

    /** The query function's way to have a document whose upload never came ended (see {@link SqsUploadExpiry}). */
    @Produces
    @Singleton
    @DefaultBean
    UploadExpiry uploadExpiry(QuarryConfig config) {
        return config.queue().expiryQueueUrl()
                .<UploadExpiry>map(url -> SqsUploadExpiry.create(config.region(), config.queue().endpoint(), url))
                .orElse(UploadExpiry.none());
    }

    void close(@Disposes UploadExpiry expiry) throws Exception {
        if (expiry instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    void close(@Disposes QueueVisibility queue) throws Exception {
        if (queue instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /** Backoff between deliveries: a message left to the queue comes back after a delay that grows with its receive count. */
    @Produces
    @Singleton
    Redelivery redelivery(QueueVisibility queue, QuarryConfig config) {
        return new Redelivery(queue, config.queue().redeliveryBaseDelay(), config.queue().redeliveryMaxDelay());
    }
}
