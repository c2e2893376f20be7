package dev.quarry.functions.query.service;

import dev.quarry.config.QuarryConfig;
import dev.quarry.core.port.ChunkIndex;
import dev.quarry.core.port.Embedder;
import dev.quarry.model.SearchHit;
import dev.quarry.retrieval.fusion.Focus;
import dev.quarry.retrieval.fusion.Fusion;
import dev.quarry.retrieval.fusion.FusionMethod;
import dev.quarry.retrieval.fusion.FusionOptions;
import dev.quarry.retrieval.fusion.Mmr;
import dev.quarry.retrieval.rerank.Reranker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hybrid retrieval: BM25 and k-NN in one _msearch, fused here (RRF or weighted), optionally diversified. */
@ApplicationScoped
public class Retriever {

    @Inject
    ChunkIndex index;

    @Inject
    Embedder embedder;

    @Inject
    QuarryConfig config;

    @Inject
    Reranker reranker;

    /**
     * @param bestSimilarity cosine of the question and the closest passage by k-NN, or NaN when k-NN did
     *                       not run (BM25 mode)
     */
    public record Result(List<SearchHit> hits, Map<String, Long> timings, double bestSimilarity) {
    }

    public Result search(String tenant, String text, int topK, ChunkIndex.Mode mode, List<String> documentIds) {
        long t0 = System.nanoTime();
        index.checkModel(embedder.modelId(), embedder.dimension());
        float[] vector = mode == ChunkIndex.Mode.BM25 ? null : embedder.embedQuery(text);
        long t1 = System.nanoTime();
        boolean rerank = mode == ChunkIndex.Mode.HYBRID && reranker != Reranker.NONE;
        int pool = rerank ? Math.max(topK, config.search().rerankCandidates()) : topK;
        int candidates = mode == ChunkIndex.Mode.HYBRID ? Math.max(pool, config.search().candidates()) : topK;
        ChunkIndex.Retrieval r = index.search(new ChunkIndex.Query(tenant, text, vector, candidates, mode, documentIds));
        long t2 = System.nanoTime();
        List<SearchHit> hits = switch (mode) {
            case BM25 -> r.bm25().subList(0, Math.min(topK, r.bm25().size()));
            case KNN -> r.knn().subList(0, Math.min(topK, r.knn().size()));
            case HYBRID -> fuse(text, r, pool);
        };
        long t3 = System.nanoTime();
        if (rerank) {
            hits = reranker.rerank(text, hits, topK);
        }
        long t4 = System.nanoTime();
        Map<String, Long> timings = new LinkedHashMap<>();
        timings.put("embedMillis", (t1 - t0) / 1_000_000);
        timings.put("searchMillis", (t2 - t1) / 1_000_000);
        timings.put("fuseMillis", (t3 - t2) / 1_000_000);
        if (rerank) {
            timings.put("rerankMillis", (t4 - t3) / 1_000_000);
        }
        timings.put("retrievalMillis", (t4 - t0) / 1_000_000);
        double best = r.knn().isEmpty() ? Double.NaN : 2 * r.knn().getFirst().score() - 1; // cosinesimil scores (1 + cos) / 2
        return new Result(hits, timings, best);
    }

    /** Fuses every candidate, focuses them on the document and statement the question names, keeps the best. */
    private List<SearchHit> fuse(String text, ChunkIndex.Retrieval r, int topK) {
        QuarryConfig.Search s = config.search();
        FusionOptions options = new FusionOptions(FusionMethod.valueOf(s.fusion().name()), s.rrfK(), s.bm25Weight(), s.knnWeight());
        List<SearchHit> fused = Fusion.fuse(r.bm25(), r.knn(), options, Integer.MAX_VALUE);
        int keep = s.mmr() ? topK * 3 : topK;
        List<SearchHit> focused = Focus.apply(text, fused, s.documentWeight(), s.statementWeight(), options, keep);
        return s.mmr() ? Mmr.rerank(focused, s.mmrLambda(), topK) : focused;
    }
}
