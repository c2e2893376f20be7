package dev.quarry.functions.query.fakes;

import dev.quarry.core.port.ChunkIndex;
import dev.quarry.model.IndexedChunk;
import dev.quarry.model.SearchHit;
import dev.quarry.retrieval.text.Terms;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The chunk index in memory, scoped to the query's tenant the way the OpenSearch adapter is: BM25 is
 * stood in for by shared content terms, k-NN by cosine similarity. Remembers the queries it served.
 */
public final class InMemoryChunkIndex implements ChunkIndex {
    private final List<IndexedChunk> chunks = new CopyOnWriteArrayList<>();
    private final List<Query> queries = new CopyOnWriteArrayList<>();

    public void clear() {
        chunks.clear();
        queries.clear();
    }

    public List<Query> queries() {
        return List.copyOf(queries);
    }

    @Override
    public void checkModel(String modelId, int dimension) {
    }

    @Override
    public void index(List<IndexedChunk> batch) {
        for (IndexedChunk c : batch) {
            chunks.removeIf(existing -> existing.chunk().chunkId().equals(c.chunk().chunkId()));
            chunks.add(c);
        }
    }

    @Override
    public long count(String tenant, String documentId, String version) {
        return chunks.stream().filter(c -> c.chunk().tenant().equals(tenant) && c.chunk().documentId().equals(documentId)
                && (version == null || version.equals(c.chunk().version()))).count();
    }

    @Override
    public void deleteDocument(String tenant, String documentId) {
        chunks.removeIf(c -> c.chunk().tenant().equals(tenant) && c.chunk().documentId().equals(documentId));
    }

    @Override
    public void deleteOtherVersions(String tenant, String documentId, String keepVersion) {
        chunks.removeIf(c -> c.chunk().tenant().equals(tenant) && c.chunk().documentId().equals(documentId)
                && !keepVersion.equals(c.chunk().version()));
    }

    @Override
    public Retrieval search(Query query) {
        if (query.tenant() == null || query.tenant().isBlank()) {
            throw new IllegalArgumentException("A search must be scoped to a tenant");
        }
        queries.add(query);
        List<IndexedChunk> scoped = chunks.stream()
                .filter(c -> c.chunk().tenant().equals(query.tenant()))
                .filter(c -> query.documentIds() == null || query.documentIds().isEmpty()
                        || query.documentIds().contains(c.chunk().documentId()))
                .toList();
        List<SearchHit> bm25 = query.mode() == Mode.KNN ? List.of() : rank(scoped, c -> termOverlap(query.text(), c), query.size());
        List<SearchHit> knn = query.mode() == Mode.BM25 || query.vector() == null
                ? List.of() : rank(scoped, c -> cosine(query.vector(), c.vector()), query.size());
        return new Retrieval(bm25, knn, 1);
    }

    private interface Scorer {
        double score(IndexedChunk chunk);
    }

    private static List<SearchHit> rank(List<IndexedChunk> scoped, Scorer scorer, int size) {
        List<SearchHit> hits = new ArrayList<>();
        for (IndexedChunk c : scoped) {
            double score = scorer.score(c);
            if (score > 0) {
                var k = c.chunk();
                hits.add(new SearchHit(k.chunkId(), k.documentId(), k.name(), k.pageStart(), k.pageEnd(), k.text(), k.spans(), score));
            }
        }
        hits.sort(Comparator.comparingDouble(SearchHit::score).reversed());
        return hits.subList(0, Math.min(size, hits.size()));
    }

    private static double termOverlap(String text, IndexedChunk c) {
        Set<String> terms = Terms.contentTermSet(c.chunk().text());
        return Terms.contentTermSet(text).stream().filter(terms::contains).count();
    }

    private static double cosine(float[] a, float[] b) {
        if (b == null || a.length != b.length) {
            return 0;
        }
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
