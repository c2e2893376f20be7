package dev.quarry.adapters.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The tenant's question and answer history (GET /v1/queries). */
public final class OpenSearchQueryLog {
    private final OpenSearchJson json;
    private final String index;

    public OpenSearchQueryLog(OpenSearchClient client, String index) {
        this.json = new OpenSearchJson(client);
        this.index = index;
    }

    public void record(String queryId, Map<String, Object> entry) {
        json.require("PUT", "/" + index + "/_doc/" + queryId, entry, "record query " + queryId);
    }

    /** Newest first, only this tenant's. */
    public List<JsonNode> recent(String tenant, int from, int size) {
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
}
