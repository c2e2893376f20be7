package dev.quarry.adapters.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.retrieval.answer.Turn;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The tenant's question and answer history (GET /v1/queries). */
public final class OpenSearchQueryLog {
    private final OpenSearchJson json;
    private final String index;
    private final OnFirstUse createIndex;

    /** A log that creates its index from infra/opensearch/quarry-queries.json on first use. */
    public OpenSearchQueryLog(OpenSearchClient client, String index) {
        this(client, index, new OpenSearchIndices(client, OpenSearchIndices.CHUNKS, OpenSearchIndices.DOCUMENTS, index)::ensureQueriesIndex);
    }

    public OpenSearchQueryLog(OpenSearchClient client, String index, Runnable createIndex) {
        this.json = new OpenSearchJson(client);
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
        json.require("PUT", "/" + index + "/_doc/" + queryId + (conversation ? "?refresh=wait_for" : ""), entry,
                "record query " + queryId);
    }

    /** The last {@code max} turns of one of the tenant's conversations, oldest first. */
    public List<Turn> conversation(String tenant, String conversationId, int max) {
        createIndex.ensure();
        ObjectNode q = OpenSearchStatusStore.MAPPER.createObjectNode();
        q.put("size", max);
        ArrayNode filter = q.putObject("query").putObject("bool").putArray("filter");
        filter.add(OpenSearchChunkIndex.term("tenant", tenant));
        filter.add(OpenSearchChunkIndex.term("conversationId", conversationId));
        q.putArray("sort").addObject().put("createdAt", "desc");
        List<Turn> turns = new ArrayList<>();
        for (JsonNode h : json.require("POST", "/" + index + "/_search", q, "read conversation").body().path("hits").path("hits")) {
            JsonNode src = h.path("_source");
            String question = src.path("question").asText();
            turns.add(new Turn(question, src.path("searchedFor").asText(question), src.path("answer").asText("")));
        }
        return turns.reversed();
    }

    /** Newest first, only this tenant's. */
    public List<JsonNode> recent(String tenant, int from, int size) {
        createIndex.ensure();
        ObjectNode q = OpenSearchStatusStore.MAPPER.createObjectNode();
        q.put("from", from).put("size", size);
        q.putObject("query").putObject("bool").putArray("filter").add(OpenSearchChunkIndex.term("tenant", tenant));
        q.putArray("sort").addObject().put("createdAt", "desc");
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode h : json.require("POST", "/" + index + "/_search", q, "list queries").body().path("hits").path("hits")) {
            out.add(h.path("_source"));
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
        ObjectNode q = OpenSearchStatusStore.MAPPER.createObjectNode();
        q.put("size", 0).put("track_total_hits", true);
        ArrayNode filter = q.putObject("query").putObject("bool").putArray("filter");
        filter.add(OpenSearchChunkIndex.term("tenant", tenant));
        filter.addObject().putObject("range").putObject("createdAt").put("gte", from.toString()).put("lt", to.toString());
        ObjectNode aggs = q.putObject("aggs");
        for (String field : new String[] {"embeddingTokens", "answerInputTokens", "answerOutputTokens", "usd"}) {
            aggs.putObject(field).putObject("sum").put("field", "cost." + field);
        }
        aggs.putObject("priced").putObject("value_count").put("field", "cost.usd");
        JsonNode r = json.require("POST", "/" + index + "/_search", q, "sum the cost of " + tenant + "'s questions").body();
        JsonNode a = r.path("aggregations");
        long questions = r.path("hits").path("total").path("value").asLong();
        return new CostSummary(questions, a.path("embeddingTokens").path("value").asLong(), a.path("answerInputTokens").path("value").asLong(),
                a.path("answerOutputTokens").path("value").asLong(), a.path("usd").path("value").asDouble(),
                questions - a.path("priced").path("value").asLong());
    }
}
