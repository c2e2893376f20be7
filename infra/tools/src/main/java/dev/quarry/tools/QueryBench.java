package dev.quarry.tools;

import dev.quarry.config.EmbeddingProvider;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.adapters.opensearch.OpenSearchChunkIndex;
import dev.quarry.adapters.opensearch.OpenSearchIndices;
import dev.quarry.core.port.ChunkIndex;
import dev.quarry.ai.Embedders;
import dev.quarry.core.port.Embedder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Latency of the product's search API against the bare OpenSearch {@code _msearch} it sends, and
 * the throughput of /v1/search and /v1/query under concurrent clients.
 */
final class QueryBench {
    /** SciFact's training queries in the data folder beside the checkout, the one {@code bench query} was measured with. */
    static final String DEFAULT_QUERIES = "../shared/eval/scifact/queries.train.jsonl";
    static final int WARM_UP = 5;

    private QueryBench() {
    }

    /** One timed request: its latency, the server's own timings, and the chunk ids it returned. */
    record Sample(double millis, Map<String, Long> serverTimings, List<String> ids) {
    }

    static void run(String[] argv) throws Exception {
        Args args = Args.parse(argv, Set.of("index", "queries", "n", "concurrency", "api", "api-key", "tenant", "opensearch",
                "candidates", "out", "duration", "clients", "during-ingest"), Set.of());
        if (!args.positional().isEmpty()) {
            throw new Args.UsageException("unexpected argument " + args.positional().getFirst());
        }
        int n = args.intValue("n", 200);
        int concurrency = args.intValue("concurrency", 8);
        // --duration S: each load test runs S seconds with --clients clients instead of n requests with --concurrency
        int durationSeconds = args.intValue("duration", 0);
        int loadClients = args.intValue("clients", durationSeconds > 0 ? 16 : concurrency);
        Optional<Path> ingestDir = args.value("during-ingest").map(QueryBench::queriesFile);
        int candidates = args.intValue("candidates", 50); // quarry.search.candidates default
        String index = args.value("index", OpenSearchIndices.CHUNKS);
        String opensearch = LocalApi.trimSlash(args.value("opensearch", "http://127.0.0.1:9200"));
        Path out = args.value("out").map(Path::of).orElse(ProjectPaths.stateDir("bench"));
        JsonNode stack = LocalApi.stackInfo();
        String api = LocalApi.trimSlash(args.value("api").orElseGet(() -> stack.path("api").asText(null)));
        String apiKey = args.value("api-key").orElseGet(() -> args.value("tenant").map(LocalApi::keyFor)
                .orElseGet(() -> stack.path("apiKey").asText(null)));
        if (api == null || apiKey == null) {
            throw new Args.UsageException("give --api URL and --api-key KEY (no running local stack found in .quarry/stack.json)");
        }
        String tenant = args.value("tenant").orElseGet(() -> LocalApi.tenantOf(apiKey).orElse(null));
        if (tenant == null) {
            throw new Args.UsageException("give --tenant T: the tenant of the API key, for the raw _msearch filter");
        }
        String queriesFile = args.value("queries", DEFAULT_QUERIES);
        List<String> queries = readQueries(queriesFile(queriesFile), n);
        System.out.printf(Locale.ROOT, "Bench query: %d queries; API %s (tenant %s); raw _msearch on %s/%s, %d candidates per side%n",
                queries.size(), api, tenant, opensearch, index, candidates);

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        Embedder embedder = Embedders.create(EmbeddingProvider.ONNX, OpenSearchIndices.DEFAULT_EMBEDDING_MODEL, OpenSearchIndices.DEFAULT_DIMENSION, Optional.empty());
        // Query vectors up front, so the raw side measures the search path only.
        List<String> msearch = new ArrayList<>();
        for (String q : queries) {
            msearch.add(msearchBody(index, tenant, q, embedder.embedQuery(q), candidates));
        }
        for (int i = 0; i < Math.min(WARM_UP, queries.size()); i++) {
            embedder.embedQuery(queries.get(i));
        }

        for (int i = 0; i < Math.min(WARM_UP, queries.size()); i++) {
            apiSearch(http, api, apiKey, queries.get(i));
            rawMsearch(http, opensearch, msearch.get(i));
        }
        System.out.println("Sequential: /v1/search and raw _msearch alternately on the same queries ...");
        int sameTopHit = 0;
        int apiAnswered = 0;
        List<Double> apiMillis = new ArrayList<>();
        List<Double> rawMillis = new ArrayList<>();
        List<Double> rawTook = new ArrayList<>();
        List<Double> rawEmbed = new ArrayList<>();
        Map<String, List<Double>> serverTimings = new LinkedHashMap<>();
        for (int i = 0; i < queries.size(); i++) {
            boolean apiFirst = i % 2 == 0;
            Sample raw = null;
            if (!apiFirst) {
                raw = rawMsearch(http, opensearch, msearch.get(i));
                rawMillis.add(raw.millis());
                rawTook.add((double) raw.serverTimings().get("took"));
            }
            long e0 = System.nanoTime();
            embedder.embedQuery(queries.get(i));
            rawEmbed.add((System.nanoTime() - e0) / 1e6);
            Sample a = apiSearch(http, api, apiKey, queries.get(i));
            apiMillis.add(a.millis());
            if (!a.ids().isEmpty()) {
                apiAnswered++;
            }
            a.serverTimings().forEach((k, v) -> serverTimings.computeIfAbsent(k, x -> new ArrayList<>()).add((double) v));
            if (apiFirst) {
                raw = rawMsearch(http, opensearch, msearch.get(i));
                rawMillis.add(raw.millis());
                rawTook.add((double) raw.serverTimings().get("took"));
            }
            if (!a.ids().isEmpty() && raw.ids().contains(a.ids().getFirst())) {
                sameTopHit++;
            }
        }
        // Both sides must search the same data, or the ratio compares two different workloads.
        if (apiAnswered < queries.size() / 2 || sameTopHit < apiAnswered * 0.9) {
            throw new Tools.ToolException(String.format(Locale.ROOT, "/v1/search answered %d of %d queries with hits and its top hit was among "
                    + "the raw _msearch hits for %d: the API does not search index %s as tenant %s. Start the stack with "
                    + "QUARRY_OPENSEARCH_CHUNK_INDEX=%s scripts/quarry up and pass --tenant %s", apiAnswered, queries.size(), sameTopHit,
                    index, tenant, index, tenant));
        }

        System.out.println("Sequential: /v1/query (retrieve + extractive answer) on the same queries ...");
        List<Double> queryMillis = new ArrayList<>();
        for (String q : queries) {
            queryMillis.add(apiQuery(http, api, apiKey, q));
        }

        MarkdownTable latency = new MarkdownTable("path", "requests", "p50 ms", "p95 ms", "mean ms");
        latency.row("POST /v1/search (hybrid, topK 10)", apiMillis.size(), f1(Stats.percentile(apiMillis, 50)),
                f1(Stats.percentile(apiMillis, 95)), f1(Stats.mean(apiMillis)));
        latency.row("raw _msearch (BM25 + k-NN, " + candidates + " per side)", rawMillis.size(), f1(Stats.percentile(rawMillis, 50)),
                f1(Stats.percentile(rawMillis, 95)), f1(Stats.mean(rawMillis)));
        latency.row("ratio /v1/search : raw", "", f2x(Stats.percentile(apiMillis, 50) / Stats.percentile(rawMillis, 50)),
                f2x(Stats.percentile(apiMillis, 95) / Stats.percentile(rawMillis, 95)), f2x(Stats.mean(apiMillis) / Stats.mean(rawMillis)));
        latency.row("POST /v1/query (hybrid + extractive answer)", queryMillis.size(), f1(Stats.percentile(queryMillis, 50)),
                f1(Stats.percentile(queryMillis, 95)), f1(Stats.mean(queryMillis)));

        MarkdownTable breakdown = new MarkdownTable("where /v1/search spends it (server timings)", "mean ms", "p50 ms");
        serverTimings.forEach((k, v) -> breakdown.row(k, f1(Stats.mean(v)), f1(Stats.percentile(v, 50))));
        breakdown.row("OpenSearch took (raw _msearch)", f1(Stats.mean(rawTook)), f1(Stats.percentile(rawTook, 50)));
        breakdown.row("raw query embedding (the same model in this JVM)", f1(Stats.mean(rawEmbed)), f1(Stats.percentile(rawEmbed, 50)));

        // The latency budget: the function's own time for /v1/search against what its two outside calls cost bare.
        List<Double> serverTotal = serverTimings.getOrDefault("totalMillis", List.of());
        double budgetRef = Stats.percentile(rawEmbed, 50) + Stats.percentile(rawMillis, 50);
        double budgetRefMean = Stats.mean(rawEmbed) + Stats.mean(rawMillis);
        MarkdownTable budget = new MarkdownTable("latency budget, /v1/search", "p50 ms", "mean ms");
        budget.row("server time (the function's totalMillis)", f1(Stats.percentile(serverTotal, 50)), f1(Stats.mean(serverTotal)));
        budget.row("raw query embedding + raw _msearch round trip", f1(budgetRef), f1(budgetRefMean));
        budget.row("ratio (aim <= 1.30x)", f2x(Stats.percentile(serverTotal, 50) / budgetRef), f2x(Stats.mean(serverTotal) / budgetRefMean));

        MarkdownTable load = new MarkdownTable("endpoint", "clients", "requests", "errors", "seconds", "requests/s", "p50 ms", "p95 ms",
                "p99 ms");
        Ingestion ingestion = ingestDir.map(dir -> Ingestion.start(api, dir)).orElse(null);
        for (String path : List.of("/v1/search", "/v1/query")) {
            if (durationSeconds > 0) {
                System.out.printf(Locale.ROOT, "Load: %s for %d s from %d concurrent clients%s ...%n", path, durationSeconds, loadClients,
                        ingestion == null ? "" : " while " + ingestDir.get() + " is ingested");
            } else {
                System.out.printf(Locale.ROOT, "Load: %d requests to %s from %d concurrent clients ...%n", queries.size(), path, loadClients);
            }
            loadTest(http, api, apiKey, path, queries, loadClients, durationSeconds, load);
        }
        String ingested = ingestion == null ? null : ingestion.stateAfterLoad();

        StringBuilder md = new StringBuilder("# Bench query\n\n");
        md.append("## Latency, one request at a time\n\n").append(latency.render()).append('\n');
        md.append(breakdown.render()).append('\n');
        md.append(budget.render()).append('\n');
        md.append("## Throughput\n\n").append(load.render()).append('\n');
        if (ingested != null) {
            md.append("- the load tests ran while ").append(ingestDir.get().getFileName()).append(" was being ingested (tenant ")
                    .append(Ingestion.TENANT).append("): ").append(ingested).append('\n');
        }
        md.append("- the raw side's query vectors were computed with the product Embedder before timing, so it measures the search path only; "
                + "/v1/search includes embedding the query (embedMillis above), fusion, the local API gateway and the Lambda runtime emulation\n");
        md.append("- raw _msearch is the body OpenSearchChunkIndex sends for hybrid mode (BM25 on text, context and section + knn on embedding, tenant filter on both), "
                + "over HTTP/1.1 from this JVM; the two are called alternately, query by query, after " + WARM_UP + " warm-up queries\n");
        md.append(String.format(Locale.ROOT, "- both sides search index `%s` as tenant `%s`: /v1/search's top hit was among the raw hits for %d of "
                + "%d queries that had hits%n", index, tenant, sameTopHit, apiAnswered));
        md.append("- /v1/query answers extractively and records each question in the tenant's history (quarry-queries)\n");
        md.append(String.format(Locale.ROOT, "- %d queries from %s; %d CPUs shared by client, API and OpenSearch; run at %s%n",
                queries.size(), queriesFile, Runtime.getRuntime().availableProcessors(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        System.out.println();
        System.out.println(md);
        Files.createDirectories(out);
        Files.writeString(out.resolve("bench-query.md"), md);
        System.out.println("Wrote " + out.resolve("bench-query.md"));
    }

    private static void loadTest(HttpClient http, String api, String apiKey, String path, List<String> queries, int clients,
                                 int durationSeconds, MarkdownTable table) throws Exception {
        AtomicInteger next = new AtomicInteger();
        long deadline = System.nanoTime() + durationSeconds * 1_000_000_000L;
        AtomicInteger errors = new AtomicInteger();
        List<Double> millis = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                workers.add(pool.submit(() -> {
                    for (int n = next.getAndIncrement(); durationSeconds > 0 ? System.nanoTime() < deadline : n < queries.size();
                         n = next.getAndIncrement()) {
                        int i = n % queries.size();
                        ObjectNode body = BeirDataset.JSON.createObjectNode();
                        if (path.equals("/v1/query")) {
                            body.put("question", queries.get(i));
                        } else {
                            body.put("query", queries.get(i)).put("topK", 10).put("mode", "hybrid");
                        }
                        long r0 = System.nanoTime();
                        try {
                            HttpResponse<String> r = http.send(LocalApi.post(api + path, apiKey, body.toString()), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() != 200) {
                                errors.incrementAndGet();
                            }
                        } catch (IOException e) {
                            errors.incrementAndGet();
                        }
                        millis.add((System.nanoTime() - r0) / 1e6);
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        table.row(path, clients, millis.size(), errors.get(), String.format(Locale.ROOT, "%.2f", seconds),
                f1(millis.size() / seconds), f1(Stats.percentile(millis, 50)), f1(Stats.percentile(millis, 95)),
                f1(Stats.percentile(millis, 99)));
    }

    /**
     * A folder of PDFs uploaded through the API into a tenant of its own, followed in the background; the pipeline goes on
     * after the bench ends (see the tenant's documents, or scripts/quarry sweep for a report of its own).
     */
    private static final class Ingestion {
        static final String TENANT = "bench-ingest";
        private final Future<PdfQaIngest.Outcome> outcome;
        private final PdfQaIngest ingest;
        private final int files;

        private Ingestion(Future<PdfQaIngest.Outcome> outcome, PdfQaIngest ingest, int files) {
            this.outcome = outcome;
            this.ingest = ingest;
            this.files = files;
        }

        static Ingestion start(String api, Path dir) {
            try {
                java.util.Map<String, Path> named = Sweep.documentNames(dir);
                PdfQaIngest ingest = new PdfQaIngest(new LocalApi(api, LocalApi.keyFor(TENANT)));
                var pool = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "bench-ingest");
                    t.setDaemon(true);
                    return t;
                });
                Ingestion ingestion = new Ingestion(pool.submit(() -> ingest.run(named, true, Duration.ofMinutes(30), false)), ingest,
                        named.size());
                pool.shutdown();
                Thread.sleep(10_000); // the uploads are done and the pipeline busy before the first request
                return ingestion;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Whether the ingestion was still running when the load ended, with its documents' states then. */
        String stateAfterLoad() throws Exception {
            boolean running = !outcome.isDone();
            Map<String, Integer> states = new java.util.TreeMap<>();
            ingest.list().values().forEach(d -> states.merge(d.path("status").asText(), 1, Integer::sum));
            return String.format(Locale.ROOT, "%s when the load ended; the %d documents then: %s", running ? "still running" : "ALREADY FINISHED",
                    files, states);
        }
    }

    private static Sample apiSearch(HttpClient http, String api, String apiKey, String query) throws IOException, InterruptedException {
        ObjectNode body = BeirDataset.JSON.createObjectNode().put("query", query).put("topK", 10).put("mode", "hybrid");
        long t0 = System.nanoTime();
        HttpResponse<String> r = LocalApi.send(http, LocalApi.post(api + "/v1/search", apiKey, body.toString()), api);
        double ms = (System.nanoTime() - t0) / 1e6;
        if (r.statusCode() != 200) {
            throw new Tools.ToolException("POST " + api + "/v1/search answered " + r.statusCode() + ": " + LocalApi.abbreviate(r.body()));
        }
        Map<String, Long> timings = new LinkedHashMap<>();
        JsonNode json = BeirDataset.JSON.readTree(r.body());
        json.path("timings").properties().forEach(e -> timings.put(e.getKey(), e.getValue().asLong()));
        List<String> ids = new ArrayList<>();
        json.path("hits").forEach(h -> ids.add(h.path("chunkId").asText()));
        return new Sample(ms, timings, ids);
    }

    private static double apiQuery(HttpClient http, String api, String apiKey, String question) throws IOException, InterruptedException {
        ObjectNode body = BeirDataset.JSON.createObjectNode().put("question", question);
        long t0 = System.nanoTime();
        HttpResponse<String> r = LocalApi.send(http, LocalApi.post(api + "/v1/query", apiKey, body.toString()), api);
        double ms = (System.nanoTime() - t0) / 1e6;
        if (r.statusCode() != 200) {
            throw new Tools.ToolException("POST " + api + "/v1/query answered " + r.statusCode() + ": " + LocalApi.abbreviate(r.body()));
        }
        return ms;
    }

    private static Sample rawMsearch(HttpClient http, String opensearch, String ndjson) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(opensearch + "/_msearch")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(ndjson, StandardCharsets.UTF_8)).build();
        long t0 = System.nanoTime();
        HttpResponse<String> r = LocalApi.send(http, request, opensearch);
        double ms = (System.nanoTime() - t0) / 1e6;
        JsonNode json = BeirDataset.JSON.readTree(r.body());
        if (r.statusCode() != 200) {
            throw new Tools.ToolException("OpenSearch _msearch answered " + r.statusCode() + ": " + LocalApi.abbreviate(r.body()));
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode response : json.path("responses")) {
            if (response.has("error")) {
                throw new Tools.ToolException("OpenSearch _msearch failed: " + LocalApi.abbreviate(response.path("error").toString()));
            }
            response.path("hits").path("hits").forEach(h -> ids.add(h.path("_id").asText()));
        }
        return new Sample(ms, Map.of("took", json.path("took").asLong()), ids);
    }

    /**
     * The hybrid-mode {@code _msearch} body the product sends: OpenSearchChunkIndex's own typed request (BM25 over
     * text, context and section with the default boosts, k-NN on the embedding, both filtered to the tenant),
     * serialized as its client serializes it, so the raw side can never drift from what the query function asks.
     * The index is only asked for its request body, so it needs no client.
     */
    static String msearchBody(String index, String tenant, String text, float[] vector, int size) {
        return new OpenSearchChunkIndex(null, null, index)
                .msearchBody(new ChunkIndex.Query(tenant, text, vector, size, ChunkIndex.Mode.HYBRID, null));
    }

    /**
     * A query file as given, else relative to the project root: the default names data beside the
     * checkout ({@code ../shared/...}), which is found wherever the tool was started.
     */
    static Path queriesFile(String name) {
        Path given = Path.of(name);
        if (given.isAbsolute() || Files.exists(given)) {
            return given;
        }
        return ProjectPaths.root().resolve(given).normalize();
    }

    /** The first {@code n} query texts: BEIR jsonl lines ({@code text} field) or plain lines. */
    static List<String> readQueries(Path file, int n) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new Args.UsageException("no query file " + file);
        }
        List<String> out = new ArrayList<>();
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            for (String line : (Iterable<String>) lines.filter(l -> !l.isBlank()).limit(n)::iterator) {
                String t = line.strip();
                out.add(t.startsWith("{") ? BeirDataset.JSON.readTree(t).path("text").asText() : t);
            }
        }
        if (out.isEmpty()) {
            throw new Args.UsageException("no query in " + file);
        }
        return out;
    }

    private static String f1(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f2x(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "n/a" : String.format(Locale.ROOT, "%.2fx", v);
    }
}
