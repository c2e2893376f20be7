package dev.quarry.adapters.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.core.port.ChunkIndex;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Creates Quarry's indices from the definition files in infra/opensearch/ (packaged on the
 * classpath under opensearch/), and records/checks the embedding model on the chunk index.
 *
 * <p>The functions own their indices: each store creates the index it uses on first use, idempotently
 * and safely when cold starts race (a concurrent creation is not an error). Nothing else creates them,
 * locally either: Amazon OpenSearch Service auto-creates a missing index on first write with dynamic
 * mappings, which would make {@code tenant} analysed text, and a tenant filter on text matches
 * prefixes ("acme" would find "acme-corp").
 */
public final class OpenSearchIndices {
    public static final String DEFAULT_EMBEDDING_MODEL = "bge-small-en-v1.5-q";
    public static final int DEFAULT_DIMENSION = 384;
    public static final String CHUNKS = "quarry-chunks";
    public static final String DOCUMENTS = "quarry-documents";
    public static final String QUERIES = "quarry-queries";

    private final OpenSearchJson json;
    private final String chunkIndex;
    private final String statusIndex;
    private final String queriesIndex;
    private final int replicas;

    public OpenSearchIndices(OpenSearchClient client) {
        this(client, CHUNKS, DOCUMENTS, QUERIES);
    }

    public OpenSearchIndices(OpenSearchClient client, String chunkIndex, String statusIndex, String queriesIndex) {
        this(client, chunkIndex, statusIndex, queriesIndex, 0);
    }

    /** @param replicas replicas of each index created here (the definitions say 0; a multi-zone domain wants 1) */
    public OpenSearchIndices(OpenSearchClient client, String chunkIndex, String statusIndex, String queriesIndex, int replicas) {
        this.json = new OpenSearchJson(client);
        this.chunkIndex = chunkIndex;
        this.statusIndex = statusIndex;
        this.queriesIndex = queriesIndex;
        this.replicas = replicas;
    }

    public void ensureAll(String modelId, int dimension) {
        ensureChunkIndex(modelId, dimension);
        ensureStatusIndex();
        ensureQueriesIndex();
    }

    /** Creates the document status index from its definition if missing (and adds fields it lacks). */
    public void ensureStatusIndex() {
        ensureWithFields(statusIndex, definition(DOCUMENTS));
    }

    /** Creates the query history index from its definition if missing (and adds fields it lacks). */
    public void ensureQueriesIndex() {
        ensureWithFields(queriesIndex, definition(QUERIES));
    }

    /** Creates the chunk index for this model if missing; refuses an existing one made for another model. */
    public void ensureChunkIndex(String modelId, int dimension) {
        ObjectNode def = definition(CHUNKS);
        ObjectNode mappings = (ObjectNode) def.path("mappings");
        ((ObjectNode) mappings.path("_meta")).put("embedding_model", modelId).put("dimension", dimension);
        ((ObjectNode) mappings.path("properties").path("embedding")).put("dimension", dimension);
        if (!ensure(chunkIndex, def)) {
            JsonNode existing = checkModel(modelId, dimension);
            addMissingFields(chunkIndex, existing, (ObjectNode) mappings.path("properties"));
        }
    }

    private void ensureWithFields(String name, ObjectNode definition) {
        if (!ensure(name, definition)) {
            JsonNode mapping = json.require("GET", "/" + name + "/_mapping", null, "read the mapping of " + name).body();
            addMissingFields(name, mapping.path(name).path("mappings"), (ObjectNode) definition.path("mappings").path("properties"));
        }
    }

    /**
     * An index made from an older definition gets the fields added since (adding a field is the one
     * mapping change OpenSearch allows in place; documents indexed before simply lack it).
     */
    private void addMissingFields(String index, JsonNode existingMappings, ObjectNode wanted) {
        ObjectNode missing = OpenSearchJson.JSON.createObjectNode();
        wanted.properties().forEach(e -> {
            if (!existingMappings.path("properties").has(e.getKey())) {
                missing.set(e.getKey(), e.getValue());
            }
        });
        if (!missing.isEmpty()) {
            ObjectNode body = OpenSearchJson.JSON.createObjectNode();
            body.set("properties", missing);
            json.require("PUT", "/" + index + "/_mapping", body, "add fields " + missing.properties().stream()
                    .map(java.util.Map.Entry::getKey).toList() + " to " + index);
        }
    }

    /** Refuses an index made for another model; returns the index's mappings. */
    public JsonNode checkModel(String modelId, int dimension) {
        JsonNode mapping = json.require("GET", "/" + chunkIndex + "/_mapping", null, "read the mapping of " + chunkIndex).body();
        JsonNode mappings = mapping.path(chunkIndex).path("mappings");
        JsonNode meta = mappings.path("_meta");
        String indexed = meta.path("embedding_model").asText("");
        int indexedDim = meta.path("dimension").asInt(-1);
        if (!indexed.equals(modelId) || indexedDim != dimension) {
            throw new ChunkIndex.ModelMismatchException("Index " + chunkIndex + " holds vectors of " + indexed + " (" + indexedDim
                    + " dimensions) but this function is configured for " + modelId + " (" + dimension + "). "
                    + "Use the same quarry.embedding.* settings for ingestion and queries, or re-index into a new index.");
        }
        return mappings;
    }

    /** Returns true when it created the index. */
    private boolean ensure(String name, ObjectNode definition) {
        if (json.call("HEAD", "/" + name, null).status() == 200) {
            return false;
        }
        ((ObjectNode) definition.path("settings").path("index")).put("number_of_replicas", replicas);
        OpenSearchJson.Result r = json.call("PUT", "/" + name, definition);
        if (r.ok()) {
            return true;
        }
        if (r.body().path("error").path("type").asText().equals("resource_already_exists_exception")
                || json.call("HEAD", "/" + name, null).status() == 200) {
            return false; // created concurrently by another function
        }
        throw new OpenSearchJson.OpenSearchFailure("Failed to create index " + name + ": " + r.status() + " " + r.body(), r.status());
    }

    public static ObjectNode definition(String name) {
        try (InputStream in = OpenSearchIndices.class.getResourceAsStream("/opensearch/" + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("Index definition opensearch/" + name + ".json is not on the classpath");
            }
            return (ObjectNode) OpenSearchJson.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read index definition " + name, e);
        }
    }
}
