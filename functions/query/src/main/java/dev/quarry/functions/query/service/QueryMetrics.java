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
 * The metrics of an answered question: latency in all and by phase, hits, model tokens and estimated cost, in
 * quarkus-micrometer's registry (Prometheus) and, at the end of the request, as one EMF line on stdout.
 */
@ApplicationScoped
public class QueryMetrics {
    private static final Logger LOG = Logger.getLogger(QueryMetrics.class);
    private static final String STAGE = "query";
    /** The response's timing keys, each with the metric it feeds. */
    private static final Map<String, String> PHASES = Map.of(
            "embedMillis", MetricNames.QUERY_EMBED,
            "searchMillis", MetricNames.QUERY_SEARCH,
            "fuseMillis", MetricNames.QUERY_FUSE,
            "rerankMillis", MetricNames.QUERY_RERANK,
            "answerMillis", MetricNames.QUERY_ANSWER,
            "totalMillis", MetricNames.QUERY_LATENCY);

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
        timings.forEach((key, millis) -> {
            String name = PHASES.get(key);
            if (name != null && millis != null) {
                Timer.builder(name).tag(MetricNames.STAGE, STAGE).register(registry).record(Duration.ofMillis(millis));
            }
        });
        DistributionSummary.builder(MetricNames.QUERY_HITS).tag(MetricNames.STAGE, STAGE).register(registry).record(hits);
        if (cost != null) {
            counter(MetricNames.QUERY_EMBEDDING_TOKENS).increment(cost.embeddingTokens());
            counter(MetricNames.QUERY_ANSWER_INPUT_TOKENS).increment(cost.answerInputTokens());
            counter(MetricNames.QUERY_ANSWER_OUTPUT_TOKENS).increment(cost.answerOutputTokens());
            if (cost.usd() != null) {
                DistributionSummary.builder(MetricNames.QUERY_COST).tag(MetricNames.STAGE, STAGE).register(registry).record(cost.usd());
            }
        }
        try {
            emf.flush();
        } catch (RuntimeException e) {
            LOG.warnf("Could not write this request's metrics: %s", e.toString());
        }
    }

    private Counter counter(String name) {
        return Counter.builder(name).tag(MetricNames.STAGE, STAGE).register(registry);
    }
}
