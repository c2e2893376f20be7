package dev.quarry.core.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every metric Quarry emits: its name (the micrometer meter's name, the CloudWatch metric's name, and with dots as
 * underscores the local Prometheus name), its CloudWatch unit, and its dimensions: {@link #STAGE} for every metric, and
 * for the API's responses also {@link #ROUTE} and {@link #ERROR} (see {@link #dimensionSets(String)}). The Terraform's
 * dashboard and alarms are checked against this class, so a metric renamed here and not there fails the build.
 */
public final class MetricNames {
    /** The CloudWatch namespace of every Quarry metric. */
    public static final String NAMESPACE = "Quarry";
    /** The dimension of every metric: extract, chunk, embed, index or query (the log lines' {@code mdc.stage}). */
    public static final String STAGE = "stage";
    /**
     * The API's responses only: the method and route template that matched ({@code POST /v1/search},
     * {@code GET /v1/documents/{documentId}}), {@link #UNMATCHED} when none did; never the raw path.
     */
    public static final String ROUTE = "route";
    /** The API's responses only: the {@code error} code of the JSON error body, {@link #NO_ERROR} when it has none. */
    public static final String ERROR = "error";
    /** The route of a request that no resource matched (a 404 or 405 of the router). */
    public static final String UNMATCHED = "unmatched";
    /** The error of a response without an error code (a success, a 503 of the health check). */
    public static final String NO_ERROR = "none";

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

    // The query function: one search (POST /v1/search, retrieval only) is one request.
    public static final String SEARCH_REQUESTS = "quarry.search.requests";
    /** The whole search, from validation to the fused (and reranked) hits: the response's {@code timings.totalMillis}. */
    public static final String SEARCH_LATENCY = "quarry.search.latency";
    /** Embedding the query; k-NN and hybrid only. */
    public static final String SEARCH_EMBED = "quarry.search.phase.embed";
    /** OpenSearch's part: the one _msearch (or the single BM25 or k-NN query). */
    public static final String SEARCH_SEARCH = "quarry.search.phase.search";
    public static final String SEARCH_FUSE = "quarry.search.phase.fuse";
    /** Only with reranking on. */
    public static final String SEARCH_RERANK = "quarry.search.phase.rerank";
    /** Hits returned. */
    public static final String SEARCH_HITS = "quarry.search.hits";

    // The query function's API: every response of every route, by route and error code (dimensions ROUTE and ERROR).
    /** Every response, whatever its status. */
    public static final String API_RESPONSES = "quarry.api.responses";
    /** 4xx: the request cannot be served as sent (invalid, unauthenticated, not found...). */
    public static final String API_CLIENT_ERRORS = "quarry.api.client_errors";
    /** 5xx other than 503: a defect (500) or a setting a retry would not get past (502 answer_model_rejected). */
    public static final String API_ERRORS = "quarry.api.errors";
    /** 503: an outage of something the request needs (OpenSearch, a model) that a retry may get past. */
    public static final String API_OUTAGES = "quarry.api.outages";

    /** CloudWatch units. */
    public static final String COUNT = "Count";
    public static final String MILLISECONDS = "Milliseconds";
    public static final String BYTES_UNIT = "Bytes";
    public static final String NONE = "None";

    private static final Map<String, String> UNITS = new LinkedHashMap<>();

    static {
        for (String name : new String[] {RECORDS_RECEIVED, RECORDS_SUCCEEDED, RECORDS_FAILED, RECORDS_REQUEUED,
                RECORDS_DEAD_LETTERED, RETRIES, PAGES, CHUNKS, EMBEDDING_TOKENS, QUERY_REQUESTS, QUERY_HITS,
                QUERY_EMBEDDING_TOKENS, QUERY_ANSWER_INPUT_TOKENS, QUERY_ANSWER_OUTPUT_TOKENS, SEARCH_REQUESTS, SEARCH_HITS,
                API_RESPONSES, API_CLIENT_ERRORS, API_ERRORS, API_OUTAGES}) {
            UNITS.put(name, COUNT);
        }
        for (String name : new String[] {RECORD_DURATION, QUERY_LATENCY, QUERY_EMBED, QUERY_SEARCH, QUERY_FUSE,
                QUERY_RERANK, QUERY_ANSWER, SEARCH_LATENCY, SEARCH_EMBED, SEARCH_SEARCH, SEARCH_FUSE, SEARCH_RERANK}) {
            UNITS.put(name, MILLISECONDS);
        }
        UNITS.put(BYTES, BYTES_UNIT);
        UNITS.put(QUERY_COST, NONE);
    }

    private static final List<List<String>> BY_STAGE = List.of(List.of(STAGE));
    /** Summed over the stage for alarms and totals, and broken down by route and error code. */
    private static final List<List<String>> BY_ROUTE_AND_ERROR = List.of(List.of(STAGE), List.of(STAGE, ROUTE, ERROR));

    private MetricNames() {
    }

    /**
     * The CloudWatch dimension sets of a metric, the meter's tags being the last (largest) one: {@code [[stage]]}, or
     * for the API's responses {@code [[stage], [stage, route, error]]}, so that an alarm can name the function's total
     * with {@code stage} alone while the dashboard breaks it down.
     */
    public static List<List<String>> dimensionSets(String name) {
        unit(name);
        return name.startsWith("quarry.api.") ? BY_ROUTE_AND_ERROR : BY_STAGE;
    }

    /** Whether the query function emits a metric (under stage {@code query}): the API's, the questions' and the searches'. */
    public static boolean fromQueryFunction(String name) {
        return name.startsWith("quarry.query.") || name.startsWith("quarry.search.") || name.startsWith("quarry.api.");
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
