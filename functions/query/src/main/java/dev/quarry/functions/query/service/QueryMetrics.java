package dev.quarry.functions.query.service;

import dev.quarry.core.metrics.EmfWriter;
import dev.quarry.core.metrics.MetricNames;
import dev.quarry.model.ModelCost;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;

/**
 * The query function's metrics: an answered question (latency in all and by phase, hits, model tokens, estimated
 * cost), a search (latency in all and by phase, hits) and every API response by route and error code, in
 * quarkus-micrometer's registry (Prometheus) and, at the end of each request ({@link #flush()}), as one EMF line on
 * stdout.
 */
@ApplicationScoped
public class QueryMetrics {
    private static final Logger LOG = Logger.getLogger(QueryMetrics.class);
    private static final String STAGE = "query";
    /** The question's timing keys (as its response carries them), each with the metric it feeds. */
    private static final Map<String, String> QUERY_PHASES = Map.of(
            "embedMillis", MetricNames.QUERY_EMBED,
            "searchMillis", MetricNames.QUERY_SEARCH,
            "fuseMillis", MetricNames.QUERY_FUSE,
            "rerankMillis", MetricNames.QUERY_RERANK,
            "answerMillis", MetricNames.QUERY_ANSWER,
            "totalMillis", MetricNames.QUERY_LATENCY);
    /** The search's timing keys, each with the metric it feeds. */
    private static final Map<String, String> SEARCH_PHASES = Map.of(
            "embedMillis", MetricNames.SEARCH_EMBED,
            "searchMillis", MetricNames.SEARCH_SEARCH,
            "fuseMillis", MetricNames.SEARCH_FUSE,
            "rerankMillis", MetricNames.SEARCH_RERANK,
            "totalMillis", MetricNames.SEARCH_LATENCY);

    private final MeterRegistry registry;
    private final EmfWriter emf;

    @Inject
    public QueryMetrics(MeterRegistry registry, EmfWriter emf) {
        this.registry = registry;
        this.emf = emf;
    }

    /** One question answered: {@code timings} as the response carries them (milliseconds by phase). */
    public void answered(Map<String, Long> timings, int hits, ModelCost cost) {
        counter(MetricNames.QUERY_REQUESTS).increment();
        record(timings, QUERY_PHASES);
        summary(MetricNames.QUERY_HITS, hits);
        if (cost != null) {
            counter(MetricNames.QUERY_EMBEDDING_TOKENS).increment(cost.embeddingTokens());
            counter(MetricNames.QUERY_ANSWER_INPUT_TOKENS).increment(cost.answerInputTokens());
            counter(MetricNames.QUERY_ANSWER_OUTPUT_TOKENS).increment(cost.answerOutputTokens());
            if (cost.usd() != null) {
                summary(MetricNames.QUERY_COST, cost.usd());
            }
        }
    }

    /** One search served: {@code timings} as its response carries them; the phases that did not run are not there. */
    public void searched(Map<String, Long> timings, int hits) {
        counter(MetricNames.SEARCH_REQUESTS).increment();
        record(timings, SEARCH_PHASES);
        summary(MetricNames.SEARCH_HITS, hits);
    }

    /**
     * One API response: counted in all and, by its status, as a client error (4xx), an outage (503) or an error (any
     * other 5xx). {@code route} and {@code error} must come from a bounded set (route templates, the API's error codes).
     */
    public void responded(String route, int status, String error) {
        String[] tags = {MetricNames.STAGE, STAGE, MetricNames.ROUTE, route, MetricNames.ERROR, error};
        Counter.builder(MetricNames.API_RESPONSES).tags(tags).register(registry).increment();
        String outcome = status == 503 ? MetricNames.API_OUTAGES
                : status >= 500 ? MetricNames.API_ERRORS
                : status >= 400 ? MetricNames.API_CLIENT_ERRORS
                : null;
        if (outcome != null) {
            Counter.builder(outcome).tags(tags).register(registry).increment();
        }
    }

    /** Prints what the request measured as EMF; called once at the end of every request. Never fails the request. */
    public void flush() {
        try {
            emf.flush();
        } catch (RuntimeException e) {
            LOG.warnf("Could not write this request's metrics: %s", e.toString());
        }
    }

    private void record(Map<String, Long> timings, Map<String, String> phases) {
        timings.forEach((key, millis) -> {
            String name = phases.get(key);
            if (name != null && millis != null) {
                Timer.builder(name).tag(MetricNames.STAGE, STAGE).register(registry).record(Duration.ofMillis(millis));
            }
        });
    }

    private void summary(String name, double amount) {
        DistributionSummary.builder(name).tag(MetricNames.STAGE, STAGE).register(registry).record(amount);
    }

    private Counter counter(String name) {
        return Counter.builder(name).tag(MetricNames.STAGE, STAGE).register(registry);
    }
}
