package dev.quarry.adapters.opensearch;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.core.port.ChunkIndex;
import dev.quarry.core.port.RetryableException;
import dev.quarry.model.Chunk;
import dev.quarry.model.ChunkSpan;
import dev.quarry.model.IndexedChunk;
import dev.quarry.model.SearchHit;
import org.jboss.logging.Logger;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.BuiltinScriptLanguage;
import org.opensearch.client.opensearch._types.Conflicts;
import org.opensearch.client.opensearch._types.ErrorCause;
import org.opensearch.client.opensearch._types.Refresh;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.MsearchRequest;
import org.opensearch.client.opensearch.core.MsearchResponse;
import org.opensearch.client.opensearch.core.UpdateByQueryResponse;
import org.opensearch.client.opensearch.core.bulk.BulkOperation;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.opensearch.client.opensearch.core.msearch.MultiSearchResponseItem;
import org.opensearch.client.opensearch.core.msearch.RequestItem;
import org.opensearch.client.opensearch.core.search.Hit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The chunk index on OpenSearch: BM25 on text, Lucene HNSW k-NN on the embedding, keyword filters. */
public final class OpenSearchChunkIndex implements ChunkIndex {
    private static final Logger LOG = Logger.getLogger(OpenSearchChunkIndex.class);
    private static final int MAX_ATTEMPTS = 4;

    /** Default weight of the document context (title, company, period) beside the passage text in BM25. */
    public static final double DEFAULT_CONTEXT_BOOST = 1.0;
    /** Default weight of the section path (headings, column headers) beside the passage text in BM25. */
    public static final double DEFAULT_SECTION_BOOST = 1.0;

    private final OpenSearchClient client;
    private final OpenSearchIndices indices;
    private final String index;
    private final double contextBoost;
    private final double sectionBoost;
    private volatile String checkedModel;

    public OpenSearchChunkIndex(OpenSearchClient client, OpenSearchIndices indices, String index) {
        this(client, indices, index, DEFAULT_CONTEXT_BOOST, DEFAULT_SECTION_BOOST);
    }

    public OpenSearchChunkIndex(OpenSearchClient client, OpenSearchIndices indices, String index, double contextBoost,
            double sectionBoost) {
        this.client = client;
        this.indices = indices;
        this.index = index;
        this.contextBoost = contextBoost;
        this.sectionBoost = sectionBoost;
    }

    @Override
    public void checkModel(String modelId, int dimension) {
        String key = modelId + "/" + dimension;
        if (!key.equals(checkedModel)) {
            indices.ensureChunkIndex(modelId, dimension);
            checkedModel = key;
        }
    }

    @Override
    public void index(List<IndexedChunk> chunks, boolean searchable) {
        List<IndexedChunk> pending = chunks;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            List<BulkOperation> operations = new ArrayList<>();
            for (IndexedChunk c : pending) {
                ObjectNode document = document(c, searchable);
                operations.add(BulkOperation.of(o -> o.index(i -> i.index(index).id(c.chunk().chunkId()).document(document))));
            }
            String documentId = pending.get(0).chunk().documentId();
            BulkResponse result = OpenSearchCall.send("index chunks of document " + documentId,
                    () -> client.bulk(b -> b.operations(operations)));
            List<IndexedChunk> retry = new ArrayList<>();
            List<String> rejected = new ArrayList<>();
            List<BulkResponseItem> items = result.items();
            for (int i = 0; i < pending.size(); i++) {
                int status = i < items.size() ? items.get(i).status() : 500;
                if (status == 429 || status >= 500) {
                    retry.add(pending.get(i));
                } else if (status / 100 != 2) {
                    ErrorCause error = items.get(i).error();
                    rejected.add(pending.get(i).chunk().chunkId() + ": " + (error == null ? status : error.reason()));
                }
            }
            if (!rejected.isEmpty()) {
                throw new OpenSearchFailure("Failed to index " + rejected.size() + " of " + pending.size()
                        + " chunks of document " + documentId + ": " + rejected.subList(0, Math.min(3, rejected.size())));
            }
            if (!retry.isEmpty()) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw new RetryableException("OpenSearch kept rejecting " + retry.size() + " chunks as overloaded after "
                            + attempt + " attempts");
                }
                LOG.infof("Retrying %d chunks that OpenSearch rejected as overloaded (attempt %d)", retry.size(), attempt);
                sleep(200L << attempt);
            }
            pending = retry;
        }
    }

    private static ObjectNode document(IndexedChunk ic, boolean searchable) {
        Chunk c = ic.chunk();
        ObjectNode doc = OpenSearchJsonMapper.JSON.createObjectNode();
        doc.put("chunkId", c.chunkId());
        doc.put("tenant", c.tenant());
        doc.put("documentId", c.documentId());
        doc.put("version", c.version());
        doc.put("name", c.name());
        doc.put("part", c.part());
        doc.put("ordinal", c.ordinal());
        doc.put("pageStart", c.pageStart());
        doc.put("pageEnd", c.pageEnd());
        doc.put("tokenCount", c.tokenCount());
        doc.put("text", c.text());
        doc.put("context", c.context());
        doc.put("section", c.section());
        doc.set("spans", OpenSearchJsonMapper.JSON.valueToTree(c.spans()));
        doc.put("indexedAt", Instant.now().toString());
        doc.put("live", searchable);
        doc.set("embedding", OpenSearchJsonMapper.JSON.valueToTree(ic.vector()));
        return doc;
    }

    @Override
    public long count(String tenant, String documentId, String version) {
        OpenSearchCall.send("refresh " + index, () -> client.indices().refresh(r -> r.index(index)));
        var filters = new ArrayList<>(OpenSearchQueries.tenantAndDocuments(tenant, List.of(documentId)));
        if (version != null) {
            filters.add(OpenSearchQueries.term("version", version));
        }
        return OpenSearchCall.send("count chunks of " + documentId,
                () -> client.count(c -> c.index(index).query(OpenSearchQueries.filter(filters)))).count();
    }

    @Override
    public void publish(String tenant, String documentId, String version) {
        var filters = new ArrayList<>(OpenSearchQueries.tenantAndDocuments(tenant, List.of(documentId)));
        filters.add(OpenSearchQueries.term("version", version));
        show(filters, "publish version " + version + " of " + documentId);
    }

    @Override
    public void publishPart(String tenant, String documentId, String version, int part) {
        var filters = new ArrayList<>(OpenSearchQueries.tenantAndDocuments(tenant, List.of(documentId)));
        filters.add(OpenSearchQueries.term("version", version));
        filters.add(OpenSearchQueries.term("part", part));
        show(filters, "publish part " + part + " of " + documentId);
    }

    /**
     * Sets {@code live} on the hidden chunks the filters select, refreshed before it returns. The index is refreshed
     * first: update-by-query finds only what a refresh has made visible, and the last part was just written. A chunk
     * written meanwhile (a replay of its part) is a version conflict: the call fails as retryable, and the next try
     * shows what is still hidden.
     */
    private void show(List<org.opensearch.client.opensearch._types.query_dsl.Query> filters, String action) {
        filters.add(OpenSearchQueries.term("live", false));
        OpenSearchCall.send("refresh " + index, () -> client.indices().refresh(r -> r.index(index)));
        UpdateByQueryResponse response = OpenSearchCall.send(action, () -> client.updateByQuery(u -> u.index(index)
                .query(OpenSearchQueries.filter(filters))
                .script(s -> s.inline(i -> i.lang(l -> l.builtin(BuiltinScriptLanguage.Painless)).source("ctx._source.live = true")))
                .refresh(Refresh.True).conflicts(Conflicts.Proceed)));
        if (!response.failures().isEmpty()) {
            throw new OpenSearchFailure("Failed to " + action + ": " + OpenSearchJsonMapper.abbreviate(
                    String.valueOf(response.failures().getFirst().cause().reason())));
        }
        if (response.versionConflicts() != null && response.versionConflicts() > 0) {
            throw new RetryableException("Could not " + action + ": " + response.versionConflicts()
                    + " chunks were written meanwhile");
        }
    }

    @Override
    public void deleteDocument(String tenant, String documentId) {
        deleteBy(OpenSearchQueries.filter(OpenSearchQueries.tenantAndDocuments(tenant, List.of(documentId))), "delete chunks of " + documentId);
    }

    @Override
    public void deleteOtherVersions(String tenant, String documentId, String keepVersion) {
        deleteBy(OpenSearchQueries.filterNot(OpenSearchQueries.tenantAndDocuments(tenant, List.of(documentId)),
                OpenSearchQueries.term("version", keepVersion)), "delete old versions of " + documentId);
    }

    @Override
    public void deletePartExcept(String tenant, String documentId, String version, int part, Collection<String> keepChunkIds) {
        var filters = new ArrayList<>(OpenSearchQueries.tenantAndDocuments(tenant, List.of(documentId)));
        filters.add(OpenSearchQueries.term("version", version));
        filters.add(OpenSearchQueries.term("part", part));
        deleteBy(keepChunkIds.isEmpty() ? OpenSearchQueries.filter(filters)
                : OpenSearchQueries.filterNot(filters, OpenSearchQueries.terms("chunkId", List.copyOf(keepChunkIds))),
                "delete stale chunks of " + documentId + " part " + part);
    }

    private void deleteBy(org.opensearch.client.opensearch._types.query_dsl.Query query, String action) {
        OpenSearchCall.send(action, () -> client.deleteByQuery(d -> d.index(index).query(query).refresh(Refresh.True)
                .conflicts(Conflicts.Proceed)));
    }

    @Override
    public Retrieval search(Query query) {
        MsearchRequest request = msearchRequest(query);
        boolean bm25 = query.mode() != Mode.KNN;
        boolean knn = query.mode() != Mode.BM25 && query.vector() != null;
        long t0 = System.nanoTime();
        MsearchResponse<ObjectNode> result = OpenSearchCall.send("search " + index, () -> client.msearch(request, ObjectNode.class));
        long took = (System.nanoTime() - t0) / 1_000_000;
        List<MultiSearchResponseItem<ObjectNode>> responses = result.responses();
        int i = 0;
        List<SearchHit> bm25Hits = bm25 ? hits(responses.get(i++)) : List.of();
        List<SearchHit> knnHits = knn ? hits(responses.get(i)) : List.of();
        return new Retrieval(bm25Hits, knnHits, took);
    }

    /**
     * The {@code _msearch} request of a search: BM25 over the text, context and section fields and approximate
     * k-NN on the embedding (as the mode asks), both filtered to the tenant and documents, embeddings left out
     * of the returned sources.
     */
    MsearchRequest msearchRequest(Query query) {
        if (query.tenant() == null || query.tenant().isBlank()) {
            throw new IllegalArgumentException("A search must be scoped to a tenant");
        }
        var filters = new ArrayList<>(OpenSearchQueries.tenantAndDocuments(query.tenant(), query.documentIds()));
        filters.add(OpenSearchQueries.searchable());
        List<RequestItem> searches = new ArrayList<>();
        boolean bm25 = query.mode() != Mode.KNN;
        boolean knn = query.mode() != Mode.BM25 && query.vector() != null;
        if (bm25) {
            String text = limitTerms(query.text(), MAX_BM25_CLAUSES / bm25Fields());
            searches.add(search(query.size(), OpenSearchQueries.filterMust(filters, bm25Clause(text))));
        }
        if (knn) {
            searches.add(search(query.size(), OpenSearchQueries.knn("embedding", query.vector(), query.size(),
                    OpenSearchQueries.filter(filters))));
        }
        return MsearchRequest.of(m -> m.searches(searches));
    }

    /**
     * The {@code _msearch} body of a search as sent (NDJSON, the typed request serialized by the adapters' JSON
     * mapper). Public so that the query benchmark times exactly what the product sends; it needs no client.
     */
    public String msearchBody(Query query) {
        return OpenSearchJsonMapper.ndjson(msearchRequest(query));
    }

    /**
     * A match query becomes one Lucene clause per token and field, and OpenSearch refuses more than
     * 1,024 clauses: 2,000 characters of Chinese are 2,000 tokens, in each of the text, context and
     * section fields. Only the first terms are searched, 1,000 clauses shared by the fields, never an
     * error for the caller (the k-NN side reads the whole question through the model's window).
     */
    static final int MAX_BM25_CLAUSES = 1000;

    /** The fields BM25 searches: the text, and the context and section unless their boost is 0. */
    int bm25Fields() {
        return 1 + (contextBoost > 0 ? 1 : 0) + (sectionBoost > 0 ? 1 : 0);
    }

    /**
     * The longest prefix of {@code text} that the standard tokenizer turns into at most {@code max}
     * tokens, counted from above: each ideograph, kana or symbol one token, each other run of letters
     * and digits one token.
     */
    static String limitTerms(String text, int max) {
        int tokens = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            boolean single = Character.isIdeographic(cp)
                    || Character.UnicodeScript.of(cp) == Character.UnicodeScript.HIRAGANA
                    || Character.getType(cp) == Character.OTHER_SYMBOL;
            boolean wordChar = !single && Character.isLetterOrDigit(cp);
            if (single || (wordChar && !inWord)) {
                if (++tokens > max) {
                    return text.substring(0, i);
                }
            }
            inWord = wordChar;
            i += Character.charCount(cp);
        }
        return text;
    }

    /**
     * The passage text, the document context and the section path, scores summed (most_fields): the
     * company and year of a question pick their filing through the context, the statement's title
     * through the section, the figure's label through the text.
     */
    org.opensearch.client.opensearch._types.query_dsl.Query bm25Clause(String text) {
        List<String> fields = new ArrayList<>();
        fields.add("text");
        if (contextBoost > 0) {
            fields.add("context^" + contextBoost);
        }
        if (sectionBoost > 0) {
            fields.add("section^" + sectionBoost);
        }
        return OpenSearchQueries.mostFields(text, fields);
    }

    private RequestItem search(int size, org.opensearch.client.opensearch._types.query_dsl.Query query) {
        return RequestItem.of(r -> r.header(h -> h.index(index))
                .body(b -> b.size(size).source(s -> s.filter(f -> f.excludes("embedding"))).query(query)));
    }

    private static List<SearchHit> hits(MultiSearchResponseItem<ObjectNode> response) {
        if (response.isFailure()) {
            ErrorCause error = response.failure().error();
            throw new OpenSearchFailure("Search failed: " + OpenSearchJsonMapper.abbreviate(error.type() + ": " + error.reason()));
        }
        List<SearchHit> out = new ArrayList<>();
        for (Hit<ObjectNode> h : response.result().hits().hits()) {
            JsonNode src = h.source() == null ? OpenSearchJsonMapper.JSON.createObjectNode() : h.source();
            List<ChunkSpan> spans = OpenSearchJsonMapper.JSON.convertValue(src.path("spans"), new TypeReference<List<ChunkSpan>>() { });
            out.add(new SearchHit(src.path("chunkId").asText(), src.path("documentId").asText(), src.path("name").asText(),
                    src.path("pageStart").asInt(), src.path("pageEnd").asInt(), src.path("text").asText(),
                    spans == null ? List.of() : spans, h.score() == null ? 0 : h.score(),
                    src.hasNonNull("section") ? src.path("section").asText() : null,
                    src.hasNonNull("context") ? src.path("context").asText() : null));
        }
        return out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableException("Interrupted while backing off", e);
        }
    }
}
