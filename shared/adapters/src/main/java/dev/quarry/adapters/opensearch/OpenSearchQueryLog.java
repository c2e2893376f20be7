package dev.quarry.adapters.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.retrieval.answer.Turn;
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
public final class OpenSearchQueryLog {
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

    /**
     * Records one question and answer. A turn of a conversation is searchable when this returns
     * ({@code refresh=wait_for}), so the next turn finds it even a moment later.
     */
    public void record(String queryId, Map<String, Object> entry) {
        createIndex.ensure();
        boolean conversation = entry.get("conversationId") != null;
        OpenSearchCall.send("record query " + queryId, () -> client.index(i -> i.index(index).id(queryId).document(entry)
                .refresh(conversation ? Refresh.WaitFor : null)));
    }

    /** The last {@code max} turns of one of the tenant's conversations, oldest first. */
    public List<Turn> conversation(String tenant, String conversationId, int max) {
        createIndex.ensure();
        Query turnsOf = OpenSearchQueries.filter(OpenSearchQueries.term("tenant", tenant),
                OpenSearchQueries.term("conversationId", conversationId));
        List<Turn> turns = new ArrayList<>();
        for (JsonNode src : sources(search("read conversation", turnsOf, 0, max))) {
            String question = src.path("question").asText();
            turns.add(new Turn(question, src.path("searchedFor").asText(question), src.path("answer").asText("")));
        }
        return turns.reversed();
    }

    /** Newest first, only this tenant's. */
    public List<JsonNode> recent(String tenant, int from, int size) {
        createIndex.ensure();
        return sources(search("list queries", OpenSearchQueries.filter(OpenSearchQueries.term("tenant", tenant)), from, size));
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

    /**
     * What a tenant's questions of a period cost; {@code unpriced} of them have no estimate in {@code usd} (a model without a
     * known price, or asked before costs were recorded).
     */
    public record CostSummary(long questions, long embeddingTokens, long answerInputTokens, long answerOutputTokens, double usd,
            long unpriced) {
    }

    /** Sums the estimated cost of the tenant's questions asked from {@code from} (inclusive) to {@code to} (exclusive). */
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
}
