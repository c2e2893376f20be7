package dev.quarry.testsupport;

import dev.quarry.core.port.ChunkIndex;
import dev.quarry.model.Chunk;
import dev.quarry.model.IndexedChunk;
import dev.quarry.model.SearchHit;
import dev.quarry.model.Vectors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The chunk index in memory, with the real index's rules: writes overwrite by chunk id, every read
 * is scoped to a tenant (and optionally to documents), BM25 ranks chunks that contain a query word,
 * k-NN ranks by cosine similarity, and the first model to {@link #checkModel} owns the index.
 */
public final class InMemoryChunkIndex implements ChunkIndex {
    private static final double K1 = 1.2;
    private static final double B = 0.75;

    /** The model the index holds vectors of. */
    public record Model(String modelId, int dimension) {
    }

    private final Map<String, IndexedChunk> chunks = new LinkedHashMap<>();
    /** Ids of the chunks written hidden and not published since. */
    private final java.util.Set<String> hidden = new java.util.HashSet<>();
    private final List<Query> queries = new ArrayList<>();
    private Model model;
    private Runnable afterNextIndex;

    /** Runs {@code action} once, right after the next batch is written: a stand-in for what happens meanwhile. */
    public synchronized void afterNextIndex(Runnable action) {
        afterNextIndex = action;
    }

    @Override
    public synchronized void checkModel(String modelId, int dimension) {
        if (model == null) {
            model = new Model(modelId, dimension);
        } else if (!model.modelId().equals(modelId) || model.dimension() != dimension) {
            throw new ModelMismatchException("Index holds vectors of " + model.modelId() + " (" + model.dimension()
                    + " dimensions) but this function is configured for " + modelId + " (" + dimension + ")");
        }
    }

    @Override
    public synchronized void index(List<IndexedChunk> batch, boolean searchable) {
        for (IndexedChunk c : batch) {
            if (c.vector() == null || (model != null && c.vector().length != model.dimension())) {
                throw new IllegalArgumentException("Chunk " + c.chunk().chunkId() + " has a vector of "
                        + (c.vector() == null ? "null" : c.vector().length + " dimensions") + "; the index holds "
                        + (model == null ? "no model yet" : model.dimension() + " dimensions"));
            }
        }
        for (IndexedChunk c : batch) {
            chunks.put(c.chunk().chunkId(), new IndexedChunk(c.chunk(), c.vector().clone()));
            if (searchable) {
                hidden.remove(c.chunk().chunkId());
            } else {
                hidden.add(c.chunk().chunkId());
            }
        }
        Runnable action = afterNextIndex;
        afterNextIndex = null;
        if (action != null) {
            action.run();
        }
    }

    @Override
    public synchronized long count(String tenant, String documentId, String version) {
        return chunks.values().stream().map(IndexedChunk::chunk)
                .filter(of(tenant, List.of(documentId)))
                .filter(c -> version == null || version.equals(c.version()))
                .count();
    }

    @Override
    public synchronized void publish(String tenant, String documentId, String version) {
        chunks.values().stream().map(IndexedChunk::chunk)
                .filter(c -> of(tenant, List.of(documentId)).test(c) && version.equals(c.version()))
                .forEach(c -> hidden.remove(c.chunkId()));
    }

    @Override
    public synchronized void publishPart(String tenant, String documentId, String version, int part) {
        chunks.values().stream().map(IndexedChunk::chunk)
                .filter(c -> of(tenant, List.of(documentId)).test(c) && version.equals(c.version()) && c.part() == part)
                .forEach(c -> hidden.remove(c.chunkId()));
    }

    /** True when the chunk was written hidden and its version or part not published since. */
    public synchronized boolean hidden(String chunkId) {
        return hidden.contains(chunkId);
    }

    @Override
    public synchronized void deleteDocument(String tenant, String documentId) {
        chunks.values().removeIf(c -> of(tenant, List.of(documentId)).test(c.chunk()));
        hidden.retainAll(chunks.keySet());
    }

    @Override
    public synchronized void deleteOtherVersions(String tenant, String documentId, String keepVersion) {
        chunks.values().removeIf(c -> of(tenant, List.of(documentId)).test(c.chunk()) && !keepVersion.equals(c.chunk().version()));
        hidden.retainAll(chunks.keySet());
    }

    @Override
    public synchronized void deletePartExcept(String tenant, String documentId, String version, int part,
            java.util.Collection<String> keepChunkIds) {
        chunks.values().removeIf(c -> of(tenant, List.of(documentId)).test(c.chunk()) && version.equals(c.chunk().version())
                && c.chunk().part() == part && !keepChunkIds.contains(c.chunk().chunkId()));
        hidden.retainAll(chunks.keySet());
    }

    @Override
    public synchronized Retrieval search(Query query) {
        if (query.tenant() == null || query.tenant().isBlank()) {
            throw new IllegalArgumentException("A search must be scoped to a tenant");
        }
        queries.add(query);
        List<IndexedChunk> candidates = chunks.values().stream()
                .filter(c -> of(query.tenant(), query.documentIds()).test(c.chunk()))
                .filter(c -> !hidden.contains(c.chunk().chunkId()))
                .toList();
        boolean bm25 = query.mode() != Mode.KNN;
        boolean knn = query.mode() != Mode.BM25 && query.vector() != null;
        return new Retrieval(bm25 ? bm25(candidates, query.text(), query.size()) : List.of(),
                knn ? knn(candidates, query.vector(), query.size()) : List.of(), 0);
    }

    public synchronized Optional<IndexedChunk> get(String chunkId) {
        return Optional.ofNullable(chunks.get(chunkId));
    }

    /** Every chunk, in the order first written. */
    public synchronized List<IndexedChunk> all() {
        return List.copyOf(chunks.values());
    }

    /** The queries searched so far, oldest first: whose chunks a request searched, or that it searched none. */
    public synchronized List<Query> queries() {
        return List.copyOf(queries);
    }

    public synchronized Optional<Model> model() {
        return Optional.ofNullable(model);
    }

    public synchronized void clear() {
        chunks.clear();
        queries.clear();
        model = null;
        afterNextIndex = null;
    }

    private static Predicate<Chunk> of(String tenant, List<String> documentIds) {
        return c -> tenant.equals(c.tenant())
                && (documentIds == null || documentIds.isEmpty() || documentIds.contains(c.documentId()));
    }

    private static List<SearchHit> bm25(List<IndexedChunk> candidates, String text, int size) {
        List<String> terms = words(text == null ? "" : text).stream().distinct().toList();
        if (terms.isEmpty() || candidates.isEmpty()) {
            return List.of();
        }
        List<Map<String, Integer>> tf = new ArrayList<>();
        Map<String, Integer> df = new HashMap<>();
        double totalLength = 0;
        for (IndexedChunk c : candidates) {
            Map<String, Integer> freq = new HashMap<>();
            // like the real index: the document context and the section are searched beside the text
            List<String> words = words(c.chunk().text() + " " + Objects.toString(c.chunk().context(), "") + " "
                    + Objects.toString(c.chunk().section(), ""));
            words.forEach(w -> freq.merge(w, 1, Integer::sum));
            freq.keySet().forEach(w -> df.merge(w, 1, Integer::sum));
            tf.add(freq);
            totalLength += words.size();
        }
        double avgLength = Math.max(1, totalLength / candidates.size());
        int n = candidates.size();
        List<SearchHit> hits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Integer> freq = tf.get(i);
            double length = freq.values().stream().mapToInt(Integer::intValue).sum();
            double score = 0;
            for (String term : terms) {
                int f = freq.getOrDefault(term, 0);
                if (f > 0) {
                    int d = df.get(term);
                    double idf = Math.log(1 + (n - d + 0.5) / (d + 0.5));
                    score += idf * f * (K1 + 1) / (f + K1 * (1 - B + B * length / avgLength));
                }
            }
            if (score > 0) {
                hits.add(hit(candidates.get(i).chunk(), score));
            }
        }
        return top(hits, size);
    }

    private static List<SearchHit> knn(List<IndexedChunk> candidates, float[] vector, int size) {
        List<SearchHit> hits = new ArrayList<>();
        for (IndexedChunk c : candidates) {
            if (c.vector().length != vector.length) {
                throw new IllegalArgumentException("Query vector has " + vector.length + " dimensions; chunk "
                        + c.chunk().chunkId() + " has " + c.vector().length);
            }
            // OpenSearch's cosinesimil space scores (1 + cosine) / 2, so scores stay in 0..1.
            hits.add(hit(c.chunk(), (1 + Vectors.cosine(vector, c.vector())) / 2));
        }
        return top(hits, size);
    }

    private static List<SearchHit> top(List<SearchHit> hits, int size) {
        return hits.stream()
                .sorted(Comparator.comparingDouble(SearchHit::score).reversed().thenComparing(SearchHit::chunkId))
                .limit(size)
                .toList();
    }

    private static SearchHit hit(Chunk c, double score) {
        return new SearchHit(c.chunkId(), c.documentId(), c.name(), c.pageStart(), c.pageEnd(), c.text(), c.spans(), score,
                c.section(), c.context());
    }

    static List<String> words(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")).filter(w -> !w.isEmpty()).toList();
    }
}
