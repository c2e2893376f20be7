package dev.quarry.adapters.opensearch;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.core.port.ChunkIndex;
import dev.quarry.core.port.RetryableException;
import dev.quarry.model.Chunk;
import dev.quarry.model.ChunkSpan;
import dev.quarry.model.IndexedChunk;
import dev.quarry.model.SearchHit;
import org.jboss.logging.Logger;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The chunk index on OpenSearch: BM25 on text, Lucene HNSW k-NN on the embedding, keyword filters. */
public final class OpenSearchChunkIndex implements ChunkIndex {
    private static final Logger LOG = Logger.getLogger(OpenSearchChunkIndex.class);
    private static final int MAX_ATTEMPTS = 4;

    /** Default weight of the document context (title, company, period) beside the passage text in BM25. */
    public static final double DEFAULT_CONTEXT_BOOST = 1.0;
    /** Default weight of the section path (headings, column headers) beside the passage text in BM25. */
    public static final double DEFAULT_SECTION_BOOST = 1.0;

    private final OpenSearchJson json;
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
        this.json = new OpenSearchJson(client);
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
    public void index(List<IndexedChunk> chunks) {
        List<IndexedChunk> pending = chunks;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            StringBuilder body = new StringBuilder();
            for (IndexedChunk c : pending) {
                body.append("{\"index\":{\"_index\":\"").append(index).append("\",\"_id\":\"").append(c.chunk().chunkId()).append("\"}}\n");
                body.append(OpenSearchJson.serialize(document(c))).append('\n');
            }
            JsonNode result = json.ndjson("POST", "/_bulk", body.toString()).body();
            List<IndexedChunk> retry = new ArrayList<>();
            List<String> rejected = new ArrayList<>();
            JsonNode items = result.path("items");
            for (int i = 0; i < pending.size(); i++) {
                JsonNode item = items.path(i).path("index");
                int status = item.path("status").asInt(500);
                if (status == 429 || status >= 500) {
                    retry.add(pending.get(i));
                } else if (status / 100 != 2) {
                    rejected.add(pending.get(i).chunk().chunkId() + ": " + item.path("error").path("reason").asText());
                }
            }
            if (!rejected.isEmpty()) {
                throw new OpenSearchJson.OpenSearchFailure("Failed to index " + rejected.size() + " of " + pending.size()
                        + " chunks of document " + pending.get(0).chunk().documentId() + ": " + rejected.subList(0, Math.min(3, rejected.size())));
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

    private static Map<String, Object> document(IndexedChunk ic) {
        Chunk c = ic.chunk();
        Map<String, Object> doc = new LinkedHashMap<>();
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
        doc.put("spans", c.spans());
        doc.put("indexedAt", Instant.now().toString());
        doc.put("embedding", ic.vector());
        return doc;
    }

    @Override
    public long count(String tenant, String documentId, String version) {
        json.call("POST", "/" + index + "/_refresh", null);
        ObjectNode q = OpenSearchJson.JSON.createObjectNode();
        q.set("query", bool(filters(tenant, List.of(documentId)), version == null ? null : term("version", version), false));
        return json.require("POST", "/" + index + "/_count", q, "count chunks of " + documentId).body().path("count").asLong();
    }

    @Override
    public void deleteDocument(String tenant, String documentId) {
        deleteBy(bool(filters(tenant, List.of(documentId)), null, false), "delete chunks of " + documentId);
    }

    @Override
    public void deleteOtherVersions(String tenant, String documentId, String keepVersion) {
        deleteBy(bool(filters(tenant, List.of(documentId)), term("version", keepVersion), true),
                "delete old versions of " + documentId);
    }

    @Override
    public void deletePartExcept(String tenant, String documentId, String version, int part, Collection<String> keepChunkIds) {
        ObjectNode q = bool(filters(tenant, List.of(documentId)), null, false);
        ArrayNode filter = (ArrayNode) q.path("bool").path("filter");
        filter.add(term("version", version));
        filter.addObject().putObject("term").put("part", part);
        if (!keepChunkIds.isEmpty()) {
            ArrayNode ids = ((ObjectNode) q.path("bool")).putArray("must_not").addObject().putObject("terms").putArray("chunkId");
            keepChunkIds.forEach(ids::add);
        }
        deleteBy(q, "delete stale chunks of " + documentId + " part " + part);
    }

    private void deleteBy(ObjectNode query, String action) {
        ObjectNode body = OpenSearchJson.JSON.createObjectNode();
        body.set("query", query);
        json.require("POST", "/" + index + "/_delete_by_query?refresh=true&conflicts=proceed", body, action);
    }

    @Override
    public Retrieval search(Query query) {
        String body = msearchBody(query);
        boolean bm25 = query.mode() != Mode.KNN;
        boolean knn = query.mode() != Mode.BM25 && query.vector() != null;
        long t0 = System.nanoTime();
        JsonNode result = json.ndjson("POST", "/_msearch", body).body();
        long took = (System.nanoTime() - t0) / 1_000_000;
        JsonNode responses = result.path("responses");
        int i = 0;
        List<SearchHit> bm25Hits = bm25 ? hits(responses.path(i++)) : List.of();
        List<SearchHit> knnHits = knn ? hits(responses.path(i)) : List.of();
        return new Retrieval(bm25Hits, knnHits, took);
    }

    /**
     * The {@code _msearch} body of a search: BM25 over the text, context and section fields and approximate
     * k-NN on the embedding (as the mode asks), both filtered to the tenant and documents, embeddings left out
     * of the returned sources. Public so that the query benchmark times exactly what the product sends.
     */
    public String msearchBody(Query query) {
        if (query.tenant() == null || query.tenant().isBlank()) {
            throw new IllegalArgumentException("A search must be scoped to a tenant");
        }
        ArrayNode filters = filters(query.tenant(), query.documentIds());
        StringBuilder body = new StringBuilder();
        boolean bm25 = query.mode() != Mode.KNN;
        boolean knn = query.mode() != Mode.BM25 && query.vector() != null;
        if (bm25) {
            ObjectNode s = searchBody(query.size());
            s.set("query", bool(filters, bm25Clause(limitTerms(query.text(), MAX_BM25_CLAUSES / bm25Fields())), false));
            body.append("{\"index\":\"").append(index).append("\"}\n").append(s).append('\n');
        }
        if (knn) {
            ObjectNode s = searchBody(query.size());
            ObjectNode field = s.putObject("query").putObject("knn").putObject("embedding");
            ArrayNode vector = field.putArray("vector");
            for (float f : query.vector()) {
                vector.add(f);
            }
            field.put("k", query.size());
            // Lucene engine: the filter is applied during the HNSW search (efficient filtering), not after it.
            field.set("filter", bool(filters, null, false));
            body.append("{\"index\":\"").append(index).append("\"}\n").append(s).append('\n');
        }
        return body.toString();
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
    ObjectNode bm25Clause(String text) {
        ObjectNode q = OpenSearchJson.JSON.createObjectNode();
        ObjectNode mm = q.putObject("multi_match");
        mm.put("query", text);
        mm.put("type", "most_fields");
        ArrayNode fields = mm.putArray("fields");
        fields.add("text");
        if (contextBoost > 0) {
            fields.add("context^" + contextBoost);
        }
        if (sectionBoost > 0) {
            fields.add("section^" + sectionBoost);
        }
        return q;
    }

    private static ObjectNode searchBody(int size) {
        ObjectNode s = OpenSearchJson.JSON.createObjectNode();
        s.put("size", size);
        s.putObject("_source").putArray("excludes").add("embedding");
        return s;
    }

    private static List<SearchHit> hits(JsonNode response) {
        if (response.has("error")) {
            throw new OpenSearchJson.OpenSearchFailure("Search failed: " + OpenSearchJson.abbreviate(response.path("error").toString()));
        }
        List<SearchHit> out = new ArrayList<>();
        for (JsonNode h : response.path("hits").path("hits")) {
            JsonNode src = h.path("_source");
            List<ChunkSpan> spans = OpenSearchJson.JSON.convertValue(src.path("spans"), new TypeReference<List<ChunkSpan>>() { });
            out.add(new SearchHit(src.path("chunkId").asText(), src.path("documentId").asText(), src.path("name").asText(),
                    src.path("pageStart").asInt(), src.path("pageEnd").asInt(), src.path("text").asText(),
                    spans == null ? List.of() : spans, h.path("_score").asDouble(),
                    src.hasNonNull("section") ? src.path("section").asText() : null,
                    src.hasNonNull("context") ? src.path("context").asText() : null));
        }
        return out;
    }

    private static ArrayNode filters(String tenant, List<String> documentIds) {
        ArrayNode f = OpenSearchJson.JSON.createArrayNode();
        f.add(term("tenant", tenant));
        if (documentIds != null && !documentIds.isEmpty()) {
            ObjectNode terms = OpenSearchJson.JSON.createObjectNode();
            ArrayNode ids = terms.putObject("terms").putArray("documentId");
            documentIds.forEach(ids::add);
            f.add(terms);
        }
        return f;
    }

    static ObjectNode term(String field, String value) {
        ObjectNode t = OpenSearchJson.JSON.createObjectNode();
        t.putObject("term").put(field, value);
        return t;
    }

    private static ObjectNode bool(ArrayNode filters, ObjectNode clause, boolean mustNot) {
        ObjectNode q = OpenSearchJson.JSON.createObjectNode();
        ObjectNode b = q.putObject("bool");
        b.set("filter", filters.deepCopy());
        if (clause != null) {
            b.putArray(mustNot ? "must_not" : "must").add(clause);
        }
        return q;
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
