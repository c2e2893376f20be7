package dev.quarry.tools;

import dev.quarry.config.EmbeddingProvider;
import dev.quarry.adapters.opensearch.OpenSearchChunkIndex;
import dev.quarry.adapters.opensearch.OpenSearchClients;
import dev.quarry.adapters.opensearch.OpenSearchIndices;
import dev.quarry.ai.BertTokenCounter;
import dev.quarry.ai.Embedders;
import dev.quarry.core.chunk.ChunkSource;
import dev.quarry.core.chunk.Chunker;
import dev.quarry.core.chunk.ChunkingOptions;
import dev.quarry.core.port.ChunkIndex;
import dev.quarry.core.port.Embedder;
import dev.quarry.model.Chunk;
import dev.quarry.model.IndexedChunk;
import dev.quarry.model.PageText;
import dev.quarry.model.SearchHit;
import dev.quarry.retrieval.eval.MetricsAccumulator;
import dev.quarry.ai.answer.ExtractiveAnswerGenerator;
import dev.quarry.retrieval.fusion.Focus;
import dev.quarry.retrieval.rerank.WindowReranker;
import dev.quarry.retrieval.fusion.Fusion;
import dev.quarry.retrieval.fusion.FusionMethod;
import dev.quarry.retrieval.fusion.FusionOptions;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.search.Hit;
import org.opensearch.client.opensearch._types.query_dsl.Query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Retrieval quality of Quarry on a BEIR dataset, per mode (bm25, knn, hybrid RRF, hybrid weighted),
 * using the product's own chunker, embedder, OpenSearch index adapter and fusion.
 */
public final class BeirEval {
    static final String USAGE = "usage: BeirEval <beir-folder> [--split train|test|dev] [--max-queries N] [--out DIR] "
            + "[--opensearch URL] [--reindex] [--rerank-local]";
    static final String TENANT = "eval";
    static final String VERSION = "v1";
    static final int EMBED_BATCH = 32;
    static final int BULK_CHUNKS = 256;
    static final int CANDIDATES = 100;
    /** Mode name and pool of the local window reranker (--rerank-local), as quarry.search.rerank-candidates. */
    static final String RERANK_LOCAL = "hybrid-rerank-local";
    static final int RERANK_POOL = 20;
    private static boolean rerankLocal;
    static final int PROGRESS_EVERY_DOCS = 500;
    static final String MODEL_ID = OpenSearchIndices.DEFAULT_EMBEDDING_MODEL;
    static final int DIMENSION = OpenSearchIndices.DEFAULT_DIMENSION;
    static final FusionOptions WEIGHTED = new FusionOptions(FusionMethod.WEIGHTED, 60, 0.5, 0.5);
    /** The alternatives reported beside the default fusion, so a change of default is measured, not guessed. */
    static final Map<String, FusionOptions> FUSIONS = fusions();

    private static Map<String, FusionOptions> fusions() {
        Map<String, FusionOptions> f = new LinkedHashMap<>();
        f.put("hybrid", FusionOptions.defaults());
        f.put("hybrid-rrf-equal", new FusionOptions(FusionMethod.RRF, 60, 0.5, 0.5));
        f.put("hybrid-rrf-knn70", new FusionOptions(FusionMethod.RRF, 60, 0.3, 0.7));
        f.put("hybrid-weighted", WEIGHTED);
        f.put("hybrid-weighted-knn70", new FusionOptions(FusionMethod.WEIGHTED, 60, 0.3, 0.7));
        return f;
    }

    private BeirEval() {
    }

    public static void main(String[] argv) {
        Tools.init();
        Args args;
        try {
            args = Args.parse(argv, Set.of("split", "max-queries", "out", "opensearch"), Set.of("reindex", "rerank-local", "help"));
            rerankLocal = args.flag("rerank-local");
            if (args.flag("help")) {
                System.out.println(USAGE);
                System.exit(0);
            }
            if (args.positional().size() != 1) {
                throw new Args.UsageException("give exactly one BEIR folder");
            }
        } catch (Args.UsageException e) {
            System.err.println("BeirEval: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        try {
            run(args);
            System.exit(0);
        } catch (Args.UsageException e) {
            System.err.println("BeirEval: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        } catch (Exception e) {
            Tools.fail("BeirEval", e);
            System.exit(1);
        }
    }

    /** test when the folder has its judgments, else dev, else train: the split a BEIR folder most likely means. */
    static String defaultSplit(Path folder) {
        for (String split : List.of("test", "dev", "train")) {
            if (Files.isRegularFile(folder.resolve("qrels").resolve(split + ".tsv"))) {
                return split;
            }
        }
        return "test";
    }

    private static void run(Args args) throws Exception {
        Path folder = Path.of(args.positional().getFirst());
        String split = args.value("split").orElseGet(() -> defaultSplit(folder));
        BeirDataset data;
        try {
            data = BeirDataset.load(folder, split);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        if (data.queries().isEmpty()) {
            throw new Args.UsageException("no query in " + folder + " has judgments in qrels/" + split + ".tsv");
        }
        List<BeirDataset.Query> queries = data.sample(args.intValue("max-queries", Integer.MAX_VALUE));
        Path out = args.value("out").map(Path::of).orElse(ProjectPaths.stateDir("eval", data.name()));
        String endpoint = args.value("opensearch", "http://127.0.0.1:9200");
        String indexName = "quarry-eval-" + data.name();

        System.out.printf(Locale.ROOT, "BEIR %s, split %s: %d judged queries, evaluating %d; index %s at %s%n",
                data.name(), split, data.queries().size(), queries.size(), indexName, endpoint);

        Embedder embedder = Embedders.create(EmbeddingProvider.ONNX, MODEL_ID, DIMENSION, Optional.empty());
        try (OpenSearchClients.Handle os = OpenSearchClients.local(endpoint)) {
            Tools.requireReachable(os.client(), endpoint);
            OpenSearchIndices indices = new OpenSearchIndices(os.client(), indexName, indexName + "-unused-status", indexName + "-unused-queries");
            if (args.flag("reindex") && exists(os.client(), indexName)) {
                System.out.println("--reindex: deleting " + indexName);
                os.client().indices().delete(d -> d.index(indexName));
            }
            OpenSearchChunkIndex index = new OpenSearchChunkIndex(os.client(), indices, indexName);
            index.checkModel(embedder.modelId(), embedder.dimension()); // creates the index from infra/opensearch, or checks its model

            OpenSearchAvailability availability = new OpenSearchAvailability(os.client(), indexName);
            EvalReport.Indexing indexing = ensureIndexed(data, os.client(), indexName, index, embedder, availability);
            List<EvalReport.ModeResult> modes = new ArrayList<>();
            double embedMillis = evaluate(queries, index, embedder, availability, modes);

            EvalReport.Result result = new EvalReport.Result(data.name(), split, queries.size(), data.queries().size(),
                    corpusDocs(data), indexName, embedder.modelId() + " (" + embedder.dimension() + " dims, ONNX in-process)",
                    "Chunker " + ChunkingOptions.defaults().maxTokens() + " tokens / " + ChunkingOptions.defaults().overlapTokens()
                            + " overlap, BERT token counts", CANDIDATES, indexing, embedMillis, modes,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            String markdown = EvalReport.markdown(result);
            System.out.println();
            System.out.println(markdown);
            Files.createDirectories(out);
            Files.writeString(out.resolve("results.md"), markdown);
            EvalReport.writeJson(result, out.resolve("results.json"));
            EvalReport.writeChart(result, out.resolve("chart.png"));
            System.out.println("Wrote " + out.resolve("results.md") + ", results.json and chart.png");
        }
    }

    /**
     * Indexes the corpus unless the index already holds every document of it. A run that was cut
     * short resumes: documents whose chunks are all in the index already are not embedded again.
     */
    private static EvalReport.Indexing ensureIndexed(BeirDataset data, OpenSearchClient client, String indexName,
                                                     OpenSearchChunkIndex index, Embedder embedder,
                                                     OpenSearchAvailability os) throws IOException {
        long corpusDocs;
        long indexableDocs;
        try (Stream<BeirDataset.Doc> docs = data.corpus()) {
            long[] counts = new long[2];
            docs.forEach(d -> {
                counts[0]++;
                if (!d.pageText().isEmpty()) {
                    counts[1]++;
                }
            });
            corpusDocs = counts[0];
            indexableDocs = counts[1];
        }
        long present = os.call("count indexed documents", () -> indexedDocuments(client, indexName));
        if (present == indexableDocs) {
            System.out.printf(Locale.ROOT, "%s already holds all %d documents; skipping indexing (--reindex to redo it)%n",
                    indexName, present);
            return new EvalReport.Indexing(corpusDocs, os.call("count chunks", () -> chunkCount(client, indexName)), 0, null, null, true, present);
        }
        Set<String> existing = present == 0 ? Set.of() : os.call("list indexed chunks", () -> indexedChunkIds(client, indexName));
        if (present > 0) {
            System.out.printf(Locale.ROOT, "%s holds %d of %d documents (%d chunks); resuming: documents whose chunks are all there are skipped%n",
                    indexName, present, indexableDocs, existing.size());
        }
        System.out.printf(Locale.ROOT, "Indexing %d documents (chunk, embed in batches of %d, bulk index) ...%n", corpusDocs, EMBED_BATCH);

        Chunker chunker = new Chunker(new BertTokenCounter(), ChunkingOptions.defaults());
        long t0 = System.nanoTime();
        long docsSeen = 0;
        long docsWork = 0; // documents chunked, embedded and indexed by this run
        long skipped = 0;
        long[] chunksDone = new long[1];
        List<Chunk> pending = new ArrayList<>();
        List<IndexedChunk> bulk = new ArrayList<>();
        try (Stream<BeirDataset.Doc> docs = data.corpus()) {
            for (var it = docs.iterator(); it.hasNext(); ) {
                BeirDataset.Doc doc = it.next();
                docsSeen++;
                String text = doc.pageText();
                if (!text.isEmpty()) {
                    List<Chunk> chunks = chunker.chunk(new ChunkSource(TENANT, doc.id(), VERSION, doc.id(), 0), List.of(new PageText(1, text)));
                    if (!existing.isEmpty() && chunks.stream().allMatch(c -> existing.contains(c.chunkId()))) {
                        skipped++;
                    } else {
                        pending.addAll(chunks);
                        docsWork++;
                    }
                }
                while (pending.size() >= EMBED_BATCH) {
                    embed(pending, EMBED_BATCH, embedder, bulk);
                    if (bulk.size() >= BULK_CHUNKS) {
                        chunksDone[0] += flush(bulk, index, os);
                    }
                }
                if (docsSeen % PROGRESS_EVERY_DOCS == 0) {
                    double s = (System.nanoTime() - t0) / 1e9;
                    double rate = docsWork / s;
                    long left = corpusDocs - docsSeen;
                    System.out.printf(Locale.ROOT, "  %d/%d docs, %d chunks indexed%s, %.1f docs/s, about %.0f s to go%n",
                            docsSeen, corpusDocs, chunksDone[0], skipped > 0 ? " (" + skipped + " docs already there)" : "", rate,
                            rate > 0 ? left / rate : Double.NaN);
                }
            }
        }
        while (!pending.isEmpty()) {
            embed(pending, Math.min(EMBED_BATCH, pending.size()), embedder, bulk);
        }
        chunksDone[0] += flush(bulk, index, os);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long indexed = os.call("count indexed documents", () -> indexedDocuments(client, indexName));
        if (indexed != indexableDocs) {
            throw new IllegalStateException("After indexing, " + indexName + " holds " + indexed + " documents; expected " + indexableDocs);
        }
        System.out.printf(Locale.ROOT, "Indexed %d documents as %d chunks in %.1f s: %.1f docs/s, %.1f chunks/s%s%n",
                docsWork, chunksDone[0], seconds, docsWork / seconds, chunksDone[0] / seconds,
                skipped > 0 ? " (" + skipped + " documents were already indexed)" : "");
        return new EvalReport.Indexing(docsWork, chunksDone[0], seconds, docsWork / seconds, chunksDone[0] / seconds, false, skipped);
    }

    private static void embed(List<Chunk> pending, int n, Embedder embedder, List<IndexedChunk> bulk) {
        List<Chunk> batch = new ArrayList<>(pending.subList(0, n));
        pending.subList(0, n).clear();
        List<float[]> vectors = embedder.embedPassages(batch.stream().map(Chunk::embeddingText).toList());
        for (int i = 0; i < batch.size(); i++) {
            bulk.add(new IndexedChunk(batch.get(i), vectors.get(i)));
        }
    }

    private static int flush(List<IndexedChunk> bulk, ChunkIndex index, OpenSearchAvailability os) throws IOException {
        int n = bulk.size();
        if (n > 0) {
            List<IndexedChunk> batch = List.copyOf(bulk);
            os.run("bulk index " + n + " chunks", () -> index.index(batch));
            bulk.clear();
        }
        return n;
    }

    /** Ids of every chunk of the eval tenant in the index (its _id is the chunk id), paged with search_after. */
    private static Set<String> indexedChunkIds(OpenSearchClient client, String indexName) throws IOException {
        Set<String> ids = new HashSet<>();
        List<FieldValue> after = null;
        while (true) {
            List<FieldValue> from = after;
            SearchResponse<Void> page = client.search(s -> {
                s.index(indexName).size(5000).source(src -> src.fetch(false))
                        .sort(o -> o.field(f -> f.field("chunkId").order(SortOrder.Asc)))
                        .query(q -> q.term(t -> t.field("tenant").value(FieldValue.of(TENANT))));
                if (from != null) {
                    s.searchAfter(from);
                }
                return s;
            }, Void.class);
            List<Hit<Void>> hits = page.hits().hits();
            hits.forEach(h -> ids.add(h.id()));
            if (hits.size() < 5000) {
                return ids;
            }
            after = hits.getLast().sort();
        }
    }

    /** Documents with at least one chunk: every chunked document has exactly one chunk with part 0, ordinal 0. */
    private static long indexedDocuments(OpenSearchClient client, String indexName) throws IOException {
        client.indices().refresh(r -> r.index(indexName));
        Query q = Query.of(b -> b.bool(bool -> bool
                .filter(f -> f.term(t -> t.field("tenant").value(FieldValue.of(TENANT))))
                .filter(f -> f.term(t -> t.field("part").value(FieldValue.of(0))))
                .filter(f -> f.term(t -> t.field("ordinal").value(FieldValue.of(0))))));
        return client.count(c -> c.index(indexName).query(q)).count();
    }

    private static long chunkCount(OpenSearchClient client, String indexName) throws IOException {
        return client.count(c -> c.index(indexName)).count();
    }

    private static boolean exists(OpenSearchClient client, String indexName) {
        try {
            return client.indices().exists(e -> e.index(indexName)).value();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to check whether " + indexName + " exists", e);
        }
    }

    /** Runs every query in every mode; fills {@code results} and returns the mean query-embedding time. */
    private static double evaluate(List<BeirDataset.Query> queries, ChunkIndex index, Embedder embedder,
                                   OpenSearchAvailability os, List<EvalReport.ModeResult> results) throws IOException {
        List<String> names = new ArrayList<>(List.of("bm25", "knn"));
        names.addAll(FUSIONS.keySet());
        if (rerankLocal) {
            names.add(RERANK_LOCAL);
        }
        Map<String, MetricsAccumulator> metrics = new LinkedHashMap<>();
        Map<String, List<Double>> latency = new LinkedHashMap<>();
        for (String n : names) {
            metrics.put(n, new MetricsAccumulator(10, 100));
            latency.put(n, new ArrayList<>());
        }
        List<Double> embedTimes = new ArrayList<>();

        // Warm-up (JIT, ONNX session, OpenSearch caches): not measured, not scored.
        for (BeirDataset.Query q : queries.subList(0, Math.min(5, queries.size()))) {
            runQuery(q, index, embedder, os, new ArrayList<>());
        }
        System.out.printf(Locale.ROOT, "Running %d queries x %d modes (%d candidates per side) ...%n", queries.size(), names.size(), CANDIDATES);
        long t0 = System.nanoTime();
        int done = 0;
        int dropped = 0;
        for (BeirDataset.Query q : queries) {
            long waits = OpenSearchAvailability.WAITS.get();
            List<ModeRun> runs = new ArrayList<>();
            double embedMillis = runQuery(q, index, embedder, os, runs);
            boolean waited = OpenSearchAvailability.WAITS.get() != waits;
            for (ModeRun r : runs) {
                metrics.get(r.mode()).add(Rankings.documentIds(r.hits(), q.id()), q.relevance());
                if (!waited) {
                    latency.get(r.mode()).add(r.millis());
                }
            }
            if (waited) {
                dropped++; // its latency includes waiting for OpenSearch to come back
            } else {
                embedTimes.add(embedMillis);
            }
            if (++done % 200 == 0) {
                System.out.printf(Locale.ROOT, "  %d/%d queries, %.1f queries/s%n", done, queries.size(), done / ((System.nanoTime() - t0) / 1e9));
            }
        }
        if (dropped > 0) {
            System.out.println("  " + dropped + " queries waited for OpenSearch to come back: scored, but left out of the latencies");
        }
        for (String n : names) {
            MetricsAccumulator m = metrics.get(n);
            List<Double> l = latency.get(n);
            results.add(new EvalReport.ModeResult(n, m.meanNdcg(10), m.meanRecall(100), m.meanMrr(10), Stats.mean(l), Stats.percentile(l, 95)));
        }
        return Stats.mean(embedTimes);
    }

    record ModeRun(String mode, List<SearchHit> hits, double millis) {
    }

    /** One query in the four modes; returns the query-embedding time, which the knn and hybrid latencies include. */
    private static double runQuery(BeirDataset.Query q, ChunkIndex index, Embedder embedder, OpenSearchAvailability os,
                                   List<ModeRun> runs) throws IOException {
        long e0 = System.nanoTime();
        float[] vector = embedder.embedQuery(q.text());
        double embedMillis = (System.nanoTime() - e0) / 1e6;

        Timed<ChunkIndex.Retrieval> bm25 = timed(() -> search(os, index, q.text(), null, ChunkIndex.Mode.BM25));
        runs.add(new ModeRun("bm25", bm25.value().bm25(), bm25.millis()));

        Timed<ChunkIndex.Retrieval> knn = timed(() -> search(os, index, q.text(), vector, ChunkIndex.Mode.KNN));
        runs.add(new ModeRun("knn", knn.value().knn(), embedMillis + knn.millis()));

        Timed<ChunkIndex.Retrieval> both = timed(() -> search(os, index, q.text(), vector, ChunkIndex.Mode.HYBRID));
        for (var fusion : FUSIONS.entrySet()) {
            // The default mode is the product's: fusion, then the question's focus (which needs document contexts).
            boolean focus = fusion.getKey().equals("hybrid");
            Timed<List<SearchHit>> fused = timed(() -> {
                List<SearchHit> all = Fusion.fuse(both.value().bm25(), both.value().knn(), fusion.getValue(), Integer.MAX_VALUE);
                return focus ? Focus.apply(q.text(), all, Focus.DEFAULT_DOCUMENT_WEIGHT, Focus.DEFAULT_STATEMENT_WEIGHT,
                        fusion.getValue(), CANDIDATES) : all.subList(0, Math.min(CANDIDATES, all.size()));
            });
            runs.add(new ModeRun(fusion.getKey(), fused.value(), embedMillis + both.millis() + fused.millis()));
            if (focus && rerankLocal) {
                // The product's quarry.search.rerank=local: the window reranker over the first 20 of the default ranking.
                Timed<List<SearchHit>> reranked = timed(() -> {
                    List<SearchHit> head = fused.value().subList(0, Math.min(RERANK_POOL, fused.value().size()));
                    List<SearchHit> out = new ArrayList<>(new WindowReranker(ExtractiveAnswerGenerator.relevance(embedder), 1.0)
                            .rerank(q.text(), head, head.size()));
                    out.addAll(fused.value().subList(head.size(), fused.value().size()));
                    return out;
                });
                runs.add(new ModeRun(RERANK_LOCAL, reranked.value(),
                        embedMillis + both.millis() + fused.millis() + reranked.millis()));
            }
        }
        return embedMillis;
    }

    private static ChunkIndex.Retrieval search(OpenSearchAvailability os, ChunkIndex index, String text, float[] vector,
                                               ChunkIndex.Mode mode) throws IOException {
        return os.call("search", () -> index.search(new ChunkIndex.Query(TENANT, text, vector, CANDIDATES, mode, null)));
    }

    record Timed<T>(T value, double millis) {
    }

    @FunctionalInterface
    interface IoSupplier<T> {
        T get() throws IOException;
    }

    private static <T> Timed<T> timed(IoSupplier<T> work) throws IOException {
        long t0 = System.nanoTime();
        T value = work.get();
        return new Timed<>(value, (System.nanoTime() - t0) / 1e6);
    }

    private static long corpusDocs(BeirDataset data) {
        try (Stream<BeirDataset.Doc> docs = data.corpus()) {
            return docs.count();
        }
    }
}
