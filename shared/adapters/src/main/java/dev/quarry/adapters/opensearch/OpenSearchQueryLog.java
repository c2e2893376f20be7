package dev.quarry.adapters.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.core.port.QueryHistory;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.Refresh;
import org.opensearch.client.opensearch._types.aggregations.Aggregate;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.search.Hit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The tenant's question and answer history (GET /v1/queries). */
public final class OpenSearchQueryLog implements QueryHistory {
    private static final List<String> COST_FIELDS = List.of("embeddingTokens", "answerInputTokens", "answerOutputTokens", "usd");

    private final OpenSearchClient client;
    private final String index;
    private final OnFirstUse createIndex;

    /** A log that creates its index from infra/opensearch/quarry-queries.json on first use. */
    public OpenSearchQueryLog(OpenSearchClient client, String index) {
        this(client, index, new OpenSearchIndices(client, OpenSearchIndices.CHUNKS, OpenSearchIndices.DOCUMENTS, index)::ensureQueriesIndex);
    }

    public OpenSearchQueryLog(OpenSearchClient client, String index, Runnable createIndex) {
        this.client = client;
        this.index = index;
        this.createIndex = new OnFirstUse(createIndex);
    }

    /** A turn of a conversation is searchable when this returns ({@code refresh=wait_for}). */
    @Override
    public void record(Entry entry) {
        createIndex.ensure();
        String queryId = entry.queryId();
        boolean conversation = entry.conversationId() != null;
        OpenSearchCall.send("record query " + queryId, () -> client.index(i -> i.index(index).id(queryId).document(entry)
                .refresh(conversation ? Refresh.WaitFor : null)));
    }

    @Override
    public List<Entry> conversation(String tenant, String conversationId, int max) {
        createIndex.ensure();
        Query turnsOf = OpenSearchQueries.filter(OpenSearchQueries.term("tenant", tenant),
                OpenSearchQueries.term("conversationId", conversationId));
        return sources(search("read conversation", turnsOf, 0, max)).stream().map(OpenSearchQueryLog::entry).toList().reversed();
    }

    @Override
    public List<Entry> recent(String tenant, int from, int size) {
        createIndex.ensure();
        return sources(search("list queries", OpenSearchQueries.filter(OpenSearchQueries.term("tenant", tenant)), from, size))
                .stream().map(OpenSearchQueryLog::entry).toList();
    }

    private SearchResponse<ObjectNode> search(String action, Query query, int from, int size) {
        return OpenSearchCall.send(action, () -> client.search(s -> s.index(index).query(query).from(from).size(size)
                .sort(OpenSearchQueries.newestFirst("createdAt")), ObjectNode.class));
    }

    private static List<JsonNode> sources(SearchResponse<ObjectNode> response) {
        List<JsonNode> out = new ArrayList<>();
        for (Hit<ObjectNode> h : response.hits().hits()) {
            out.add(h.source() == null ? OpenSearchJsonMapper.JSON.createObjectNode() : h.source());
        }
        return out;
    }

    @Override
    public CostSummary costs(String tenant, Instant from, Instant to) {
        createIndex.ensure();
        Query asked = OpenSearchQueries.filter(OpenSearchQueries.term("tenant", tenant), OpenSearchQueries.range("createdAt", from, to));
        SearchResponse<ObjectNode> r = OpenSearchCall.send("sum the cost of " + tenant + "'s questions", () -> client.search(s -> {
            s.index(index).size(0).trackTotalHits(t -> t.enabled(true)).query(asked);
            for (String field : COST_FIELDS) {
                s.aggregations(field, a -> a.sum(sum -> sum.field("cost." + field)));
            }
            return s.aggregations("priced", a -> a.valueCount(v -> v.field("cost.usd")));
        }, ObjectNode.class));
        Map<String, Aggregate> a = r.aggregations();
        long questions = r.hits().total().value();
        Double priced = a.get("priced").valueCount().value();
        Double usd = a.get("usd").sum().value();
        return new CostSummary(questions, OpenSearchQueries.sum(r, "embeddingTokens"), OpenSearchQueries.sum(r, "answerInputTokens"),
                OpenSearchQueries.sum(r, "answerOutputTokens"), usd == null ? 0 : usd, questions - (priced == null ? 0 : priced.longValue()));
    }

    /** An entry as stored; one recorded before a field existed reads it as the question (searchedFor) or null (cost). */
    private static Entry entry(JsonNode source) {
        try {
            Entry e = OpenSearchJsonMapper.JSON.treeToValue(source, Entry.class);
            return e.searchedFor() != null ? e : new Entry(e.queryId(), e.tenant(), e.conversationId(), e.question(),
                    e.question(), e.answer(), e.answerMode(), e.citations(), e.tookMillis(), e.cost(), e.createdAt());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("A stored query entry does not read as one: " + e.getOriginalMessage(), e);
        }
    }
}
