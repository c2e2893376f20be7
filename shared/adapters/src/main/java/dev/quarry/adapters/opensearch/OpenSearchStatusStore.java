package dev.quarry.adapters.opensearch;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.quarry.core.port.RetryableException;
import dev.quarry.core.port.StatusStore;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.net.URLEncoder;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Document status records in an OpenSearch index, updated with optimistic concurrency
 * (if_seq_no/if_primary_term) so that parallel parts never overwrite each other's progress.
 */
public final class OpenSearchStatusStore implements StatusStore {
    static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final int MAX_CONFLICT_RETRIES = 20;

    private final OpenSearchJson json;
    private final String index;
    private final OnFirstUse createIndex;

    /** A store that creates its index from infra/opensearch/quarry-documents.json on first use. */
    public OpenSearchStatusStore(OpenSearchClient client, String index) {
        this(client, index, new OpenSearchIndices(client, OpenSearchIndices.CHUNKS, index, OpenSearchIndices.QUERIES)::ensureStatusIndex);
    }

    public OpenSearchStatusStore(OpenSearchClient client, String index, Runnable createIndex) {
        this.json = new OpenSearchJson(client);
        this.index = index;
        this.createIndex = new OnFirstUse(createIndex);
    }

    @Override
    public Optional<DocumentRecord> get(String documentId) {
        createIndex.ensure();
        OpenSearchJson.Result r = json.call("GET", "/" + index + "/_doc/" + enc(documentId), null);
        if (r.status() == 404) {
            return Optional.empty();
        }
        if (!r.ok()) {
            throw new OpenSearchJson.OpenSearchFailure("Failed to read status of " + documentId + ": " + r.status(), r.status());
        }
        return Optional.of(read(r.body().path("_source")));
    }

    @Override
    public Optional<DocumentRecord> update(String documentId, UnaryOperator<Optional<DocumentRecord>> change) {
        createIndex.ensure();
        for (int attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
            OpenSearchJson.Result current = json.call("GET", "/" + index + "/_doc/" + enc(documentId), null);
            Optional<DocumentRecord> before = current.status() == 200 ? Optional.of(read(current.body().path("_source"))) : Optional.empty();
            Optional<DocumentRecord> after = change.apply(before);
            if (after == null || after.isEmpty()) {
                return before;
            }
            String endpoint = before.isPresent()
                    ? "/" + index + "/_doc/" + enc(documentId) + "?refresh=true&if_seq_no=" + current.body().path("_seq_no").asLong()
                            + "&if_primary_term=" + current.body().path("_primary_term").asLong()
                    : "/" + index + "/_create/" + enc(documentId) + "?refresh=true";
            OpenSearchJson.Result written = json.call("PUT", endpoint, write(after.get()));
            if (written.ok()) {
                return after;
            }
            if (written.status() != 409) {
                throw new OpenSearchJson.OpenSearchFailure("Failed to update status of " + documentId + ": " + written.status()
                        + " " + OpenSearchJson.abbreviate(written.body().toString()), written.status());
            }
            sleep(attempt);
        }
        throw new RetryableException("Failed to update status of " + documentId + ": too many concurrent updates");
    }

    @Override
    public int markPartDone(String documentId, String version, int part, long embeddingTokens) {
        createIndex.ensure();
        ObjectNode marker = MAPPER.createObjectNode().put("kind", "part").put("documentId", documentId)
                .put("version", version).put("part", part).put("embeddingTokens", embeddingTokens);
        json.require("PUT", "/" + index + "/_doc/" + enc(documentId + "@" + version + "#" + part) + "?refresh=true", marker,
                "record part " + part + " of " + documentId);
        ObjectNode q = MAPPER.createObjectNode();
        ObjectNode bool = q.putObject("query").putObject("bool");
        bool.putArray("filter").add(OpenSearchChunkIndex.term("kind", "part"))
                .add(OpenSearchChunkIndex.term("documentId", documentId)).add(OpenSearchChunkIndex.term("version", version));
        return json.require("POST", "/" + index + "/_count", q, "count parts of " + documentId).body().path("count").asInt();
    }

    @Override
    public long embeddingTokens(String documentId, String version) {
        createIndex.ensure();
        ObjectNode q = MAPPER.createObjectNode();
        q.put("size", 0);
        q.putObject("query").putObject("bool").putArray("filter").add(OpenSearchChunkIndex.term("kind", "part"))
                .add(OpenSearchChunkIndex.term("documentId", documentId)).add(OpenSearchChunkIndex.term("version", version));
        q.putObject("aggs").putObject("tokens").putObject("sum").put("field", "embeddingTokens");
        JsonNode r = json.require("POST", "/" + index + "/_search", q, "sum the embedding tokens of " + documentId).body();
        return r.path("aggregations").path("tokens").path("value").asLong();
    }

    @Override
    public void deleteParts(String documentId) {
        createIndex.ensure();
        ObjectNode q = MAPPER.createObjectNode();
        q.putObject("query").putObject("bool").putArray("filter").add(OpenSearchChunkIndex.term("kind", "part"))
                .add(OpenSearchChunkIndex.term("documentId", documentId));
        json.require("POST", "/" + index + "/_delete_by_query?refresh=true&conflicts=proceed", q, "delete parts of " + documentId);
    }

    @Override
    public List<DocumentRecord> list(String tenant, int from, int size) {
        createIndex.ensure();
        ObjectNode q = tenantDocuments(tenant);
        q.put("from", from).put("size", size);
        q.putArray("sort").addObject().put("createdAt", "desc");
        List<DocumentRecord> out = new ArrayList<>();
        for (JsonNode h : json.require("POST", "/" + index + "/_search", q, "list documents").body().path("hits").path("hits")) {
            out.add(read(h.path("_source")));
        }
        return out;
    }

    @Override
    public long count(String tenant) {
        createIndex.ensure();
        return json.require("POST", "/" + index + "/_count", tenantDocuments(tenant), "count documents").body().path("count").asLong();
    }

    @Override
    public Ingested ingested(String tenant, Instant from, Instant to) {
        createIndex.ensure();
        ObjectNode q = MAPPER.createObjectNode();
        q.put("size", 0).put("track_total_hits", true);
        q.putObject("query").putObject("bool").putArray("filter").add(OpenSearchChunkIndex.term("kind", "document"))
                .add(OpenSearchChunkIndex.term("tenant", tenant)).add(OpenSearchChunkIndex.term("status", DocumentStatus.READY.name()))
                .addObject().putObject("range").putObject("updatedAt").put("gte", from.toString()).put("lt", to.toString());
        q.putObject("aggs").putObject("tokens").putObject("sum").put("field", "embeddingTokens");
        JsonNode r = json.require("POST", "/" + index + "/_search", q, "sum the embedding tokens of " + tenant + "'s documents").body();
        return new Ingested(r.path("hits").path("total").path("value").asLong(),
                r.path("aggregations").path("tokens").path("value").asLong());
    }

    private static ObjectNode tenantDocuments(String tenant) {
        ObjectNode q = MAPPER.createObjectNode();
        ObjectNode bool = q.putObject("query").putObject("bool");
        bool.putArray("filter").add(OpenSearchChunkIndex.term("kind", "document")).add(OpenSearchChunkIndex.term("tenant", tenant));
        bool.putArray("must_not").add(OpenSearchChunkIndex.term("status", DocumentStatus.DELETED.name()));
        return q;
    }

    private static DocumentRecord read(JsonNode source) {
        return MAPPER.convertValue(source, DocumentRecord.class);
    }

    private static ObjectNode write(DocumentRecord record) {
        ObjectNode node = MAPPER.valueToTree(record);
        node.put("kind", "document");
        return node;
    }

    private static String enc(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    private static void sleep(int attempt) {
        try {
            Thread.sleep(5L + (long) (Math.random() * 20 * (attempt + 1)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
