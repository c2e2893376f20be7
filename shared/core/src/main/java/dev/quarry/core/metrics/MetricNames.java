package dev.quarry.core.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every metric Quarry emits: its name (the micrometer meter's name, the CloudWatch metric's name, and with dots as
 * underscores the local Prometheus name), its CloudWatch unit, and the one dimension, {@link #STAGE}. The Terraform's
 * dashboard and alarms are checked against this class, so a metric renamed here and not there fails the build.
 */
public final class MetricNames {
    /** The CloudWatch namespace of every Quarry metric. */
    public static final String NAMESPACE = "Quarry";
    /** The only dimension: extract, chunk, embed, index or query (the log lines' {@code mdc.stage}). */
    public static final String STAGE = "stage";

    /** Every name starts so; the EMF writer emits nothing else (the JVM and HTTP meters stay local). */
    public static final String PREFIX = "quarry.";

    // Pipeline stages: one S3 notification is one record.
    /** Records the stage started on (an SQS message that is no S3 notification counts as one). */
    public static final String RECORDS_RECEIVED = "quarry.stage.records.received";
    /** Records processed (including those skipped as replays or stale). */
    public static final String RECORDS_SUCCEEDED = "quarry.stage.records.succeeded";
    /** Records that failed permanently: their document ended FAILED at once, never retried. */
    public static final String RECORDS_FAILED = "quarry.stage.records.failed";
    /** Records that failed transiently and were left to the queue for another delivery. */
    public static final String RECORDS_REQUEUED = "quarry.stage.records.requeued";
    /** Records that failed on the last delivery the queue allows: document FAILED UNAVAILABLE, message to the DLQ. */
    public static final String RECORDS_DEAD_LETTERED = "quarry.stage.records.dead_lettered";
    /** In-process retries (a record's second and later tries within one delivery). */
    public static final String RETRIES = "quarry.stage.retries";
    /** Time spent on one record, every try included. */
    public static final String RECORD_DURATION = "quarry.stage.record.duration";
    /** Bytes of the S3 objects the records named (the PDF for an upload, the work file for a later stage). */
    public static final String BYTES = "quarry.stage.bytes";
    /** Pages read (extract: planned on upload, extracted per range). */
    public static final String PAGES = "quarry.stage.pages";
    /** Chunks written (chunk), embedded (embed) or indexed (index). */
    public static final String CHUNKS = "quarry.stage.chunks";
    /** Input tokens of the embedding model (embed). */
    public static final String EMBEDDING_TOKENS = "quarry.stage.embedding_tokens";

    // The query function: one answered question (POST /v1/query) is one request.
    public static final String QUERY_REQUESTS = "quarry.query.requests";
    /** The whole request, from validation to the answer. */
    public static final String QUERY_LATENCY = "quarry.query.latency";
    public static final String QUERY_EMBED = "quarry.query.phase.embed";
    public static final String QUERY_SEARCH = "quarry.query.phase.search";
    public static final String QUERY_FUSE = "quarry.query.phase.fuse";
    /** Only with reranking on. */
    public static final String QUERY_RERANK = "quarry.query.phase.rerank";
    public static final String QUERY_ANSWER = "quarry.query.phase.answer";
    /** Hits the answer was drawn from. */
    public static final String QUERY_HITS = "quarry.query.hits";
    public static final String QUERY_EMBEDDING_TOKENS = "quarry.query.tokens.embedding";
    public static final String QUERY_ANSWER_INPUT_TOKENS = "quarry.query.tokens.answer_input";
    public static final String QUERY_ANSWER_OUTPUT_TOKENS = "quarry.query.tokens.answer_output";
    /** Estimated model cost in USD (CloudWatch has no currency unit: None); absent when no price is known. */
    public static final String QUERY_COST = "quarry.query.cost_usd";

    /** CloudWatch units. */
    public static final String COUNT = "Count";
    public static final String MILLISECONDS = "Milliseconds";
    public static final String BYTES_UNIT = "Bytes";
    public static final String NONE = "None";

    private static final Map<String, String> UNITS = new LinkedHashMap<>();

    static {
        for (String name : new String[] {RECORDS_RECEIVED, RECORDS_SUCCEEDED, RECORDS_FAILED, RECORDS_REQUEUED,
                RECORDS_DEAD_LETTERED, RETRIES, PAGES, CHUNKS, EMBEDDING_TOKENS, QUERY_REQUESTS, QUERY_HITS,
                QUERY_EMBEDDING_TOKENS, QUERY_ANSWER_INPUT_TOKENS, QUERY_ANSWER_OUTPUT_TOKENS}) {
            UNITS.put(name, COUNT);
        }
        for (String name : new String[] {RECORD_DURATION, QUERY_LATENCY, QUERY_EMBED, QUERY_SEARCH, QUERY_FUSE,
                QUERY_RERANK, QUERY_ANSWER}) {
            UNITS.put(name, MILLISECONDS);
        }
        UNITS.put(BYTES, BYTES_UNIT);
        UNITS.put(QUERY_COST, NONE);
    }

    private MetricNames() {
    }

    /** Every metric name with its CloudWatch unit. */
    public static Map<String, String> units() {
        return Map.copyOf(UNITS);
    }

    /** The CloudWatch unit of a Quarry metric; a name not listed here is a defect. */
    public static String unit(String name) {
        String unit = UNITS.get(name);
        if (unit == null) {
            throw new IllegalArgumentException("Not a Quarry metric: " + name + " (add it to MetricNames)");
        }
        return unit;
    }
}
