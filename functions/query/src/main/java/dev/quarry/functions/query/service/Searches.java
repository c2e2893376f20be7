package dev.quarry.functions.query.service;

import dev.quarry.core.port.ChunkIndex;
import dev.quarry.model.SearchHit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A tenant's searches (retrieval only): the hits with their timings, each search counted in the metrics. */
@ApplicationScoped
public class Searches {

    @Inject
    Retriever retriever;
    @Inject
    QueryMetrics metrics;

    /** The hits, best first, and the timings by phase, {@code totalMillis} included, as the response carries them. */
    public record Searched(List<SearchHit> hits, Map<String, Long> timings) {
    }

    /** Searches the tenant's documents (only {@code documentIds} when not empty). */
    public Searched search(String tenant, String query, int topK, ChunkIndex.Mode mode, List<String> documentIds) {
        long startedNanos = System.nanoTime();
        Retriever.Result result = retriever.search(tenant, query, topK, mode, documentIds);
        Map<String, Long> timings = new LinkedHashMap<>(result.timings());
        timings.put("totalMillis", (System.nanoTime() - startedNanos) / 1_000_000);
        metrics.searched(timings, result.hits().size());
        return new Searched(result.hits(), timings);
    }
}
