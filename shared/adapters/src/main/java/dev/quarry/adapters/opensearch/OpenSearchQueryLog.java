package dev.quarry.adapters.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.core.port.QueryHistory;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The tenant's question and answer history (GET /v1/queries). */
public final class OpenSearchQueryLog implements QueryHistory {
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

    /** A turn of a conversation is searchable when this returns ({@code refresh=wait_for}). */
    @Override
    public void record(Entry entry) {
        createIndex.ensure();
        String queryId = entry.queryId();
        boolean conversation = entry.conversationId() != null;
        json.require("PUT", "/" + index + "/_doc/" + queryId + (conversation ? "?refresh=wait_for" : ""), source(entry),
                "record query " + queryId);
    }

    @Override
    public List<Entry> conversation(String tenant, String conversationId, int max) {
        createIndex.ensure();
        ObjectNode q = OpenSearchStatusStore.MAPPER.createObjectNode();
        q.put("size", max);
        ArrayNode filter = q.putObject("query").putObject("bool").putArray("filter");
        filter.add(OpenSearchChunkIndex.term("tenant", tenant));
        filter.add(OpenSearchChunkIndex.term("conversationId", conversationId));
        q.putArray("sort").addObject().put("createdAt", "desc");
        List<Entry> turns = new ArrayList<>();
        for (JsonNode h : json.require("POST", "/" + index + "/_search", q, "read conversation").body().path("hits").path("hits")) {
            turns.add(entry(h.path("_source")));
        }
        return turns.reversed();
    }

    @Override
    public List<Entry> recent(String tenant, int from, int size) {
        createIndex.ensure();
        ObjectNode q = OpenSearchStatusStore.MAPPER.createObjectNode();
        q.put("from", from).put("size", size);
        q.putObject("query").putObject("bool").putArray("filter").add(OpenSearchChunkIndex.term("tenant", tenant));
        q.putArray("sort").addObject().put("createdAt", "desc");
        List<Entry> out = new ArrayList<>();
        for (JsonNode h : json.require("POST", "/" + index + "/_search", q, "list queries").body().path("hits").path("hits")) {
            out.add(entry(h.path("_source")));
        }
        return out;
    }

    @Override
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

    /** The stored document: the entry's fields as they are named in infra/opensearch/quarry-queries.json. */
    private static ObjectNode source(Entry entry) {
        return OpenSearchStatusStore.MAPPER.valueToTree(entry);
    }

    /** An entry as stored; one recorded before a field existed reads it as the question (searchedFor) or null (cost). */
    private static Entry entry(JsonNode source) {
        try {
            Entry e = OpenSearchStatusStore.MAPPER.treeToValue(source, Entry.class);
            return e.searchedFor() != null ? e : new Entry(e.queryId(), e.tenant(), e.conversationId(), e.question(),
                    e.question(), e.answer(), e.answerMode(), e.citations(), e.tookMillis(), e.cost(), e.createdAt());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("A stored query entry does not read as one: " + e.getOriginalMessage(), e);
        }
    }
}
