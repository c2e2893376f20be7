package dev.quarry.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.time.Duration;
import java.util.Objects;

/**
 * The meters of one pipeline stage, tagged with its {@link MetricNames#STAGE}, written by the batch processor (the
 * one place that decides how a record ends) and flushed once per invocation. Every counter is registered up front,
 * so each invocation reports all of them, zeros included: an alarm on failures sees 0, not missing data.
 */
public final class StageMetrics {
    private final Counter received;
    private final Counter succeeded;
    private final Counter failed;
    private final Counter requeued;
    private final Counter deadLettered;
    private final Counter retries;
    private final Counter bytes;
    private final Counter pages;
    private final Counter chunks;
    private final Counter embeddingTokens;
    private final Timer duration;
    private final Runnable flush;

    /**
     * @param flush writes what the meters hold at the end of an invocation (an {@link EmfWriter}); it must not throw
     */
    public StageMetrics(String stage, MeterRegistry registry, Runnable flush) {
        Objects.requireNonNull(stage, "stage");
        this.received = counter(registry, MetricNames.RECORDS_RECEIVED, stage);
        this.succeeded = counter(registry, MetricNames.RECORDS_SUCCEEDED, stage);
        this.failed = counter(registry, MetricNames.RECORDS_FAILED, stage);
        this.requeued = counter(registry, MetricNames.RECORDS_REQUEUED, stage);
        this.deadLettered = counter(registry, MetricNames.RECORDS_DEAD_LETTERED, stage);
        this.retries = counter(registry, MetricNames.RETRIES, stage);
        this.bytes = Counter.builder(MetricNames.BYTES).baseUnit("bytes").tag(MetricNames.STAGE, stage).register(registry);
        this.pages = counter(registry, MetricNames.PAGES, stage);
        this.chunks = counter(registry, MetricNames.CHUNKS, stage);
        this.embeddingTokens = counter(registry, MetricNames.EMBEDDING_TOKENS, stage);
        this.duration = Timer.builder(MetricNames.RECORD_DURATION).tag(MetricNames.STAGE, stage).register(registry);
        this.flush = Objects.requireNonNull(flush, "flush");
    }

    /** Meters that go nowhere: for tests and tools that run a stage without a function around it. */
    public static StageMetrics none(String stage) {
        return new StageMetrics(stage, new CompositeMeterRegistry(), () -> { });
    }

    private static Counter counter(MeterRegistry registry, String name, String stage) {
        return Counter.builder(name).tag(MetricNames.STAGE, stage).register(registry);
    }

    /** A record begins: {@code bytes} is the size of the object it names. */
    public void received(long bytes) {
        received.increment();
        this.bytes.increment(Math.max(0, bytes));
    }

    public void succeeded(long pages, long chunks, long embeddingTokens) {
        succeeded.increment();
        this.pages.increment(pages);
        this.chunks.increment(chunks);
        this.embeddingTokens.increment(embeddingTokens);
    }

    public void failed() {
        failed.increment();
    }

    public void requeued() {
        requeued.increment();
    }

    public void deadLettered() {
        deadLettered.increment();
    }

    public void retried() {
        retries.increment();
    }

    public void took(Duration time) {
        duration.record(time);
    }

    /** The invocation ends: write what it measured. */
    public void flush() {
        flush.run();
    }
}
