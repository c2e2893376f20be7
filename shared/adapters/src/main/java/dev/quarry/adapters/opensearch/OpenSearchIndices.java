package dev.quarry.adapters.opensearch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.core.port.ChunkIndex;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch._types.mapping.Property;
import org.opensearch.client.opensearch._types.mapping.TypeMapping;
import org.opensearch.client.opensearch.indices.CreateIndexRequest;
import org.opensearch.client.opensearch.indices.GetMappingResponse;
import org.opensearch.client.opensearch.indices.IndexSettings;
import org.opensearch.client.opensearch.indices.get_mapping.IndexMappingRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    private final OpenSearchClient client;
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
        this.client = client;
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
        CreateIndexRequest request = createRequest(chunkIndex, def);
        if (!ensure(request)) {
            TypeMapping existing = checkModel(modelId, dimension);
            addMissingFields(chunkIndex, existing, request.mappings());
        }
    }

    private void ensureWithFields(String name, ObjectNode definition) {
        CreateIndexRequest request = createRequest(name, definition);
        if (!ensure(request)) {
            addMissingFields(name, mappings(name), request.mappings());
        }
    }

    /**
     * An index made from an older definition gets the fields added since (adding a field is the one
     * mapping change OpenSearch allows in place; documents indexed before simply lack it).
     */
    private void addMissingFields(String index, TypeMapping existing, TypeMapping wanted) {
        Map<String, Property> missing = new LinkedHashMap<>(wanted.properties());
        missing.keySet().removeAll(existing.properties().keySet());
        if (!missing.isEmpty()) {
            OpenSearchCall.send("add fields " + List.copyOf(missing.keySet()) + " to " + index,
                    () -> client.indices().putMapping(p -> p.index(index).properties(missing)));
        }
    }

    /** Refuses an index made for another model; returns the index's mappings. */
    public TypeMapping checkModel(String modelId, int dimension) {
        TypeMapping mappings = mappings(chunkIndex);
        JsonData model = mappings.meta().get("embedding_model");
        JsonData dim = mappings.meta().get("dimension");
        String indexed = model == null ? "" : model.to(String.class);
        int indexedDim = dim == null ? -1 : dim.to(Integer.class);
        if (!indexed.equals(modelId) || indexedDim != dimension) {
            throw new ChunkIndex.ModelMismatchException("Index " + chunkIndex + " holds vectors of " + indexed + " (" + indexedDim
                    + " dimensions) but this function is configured for " + modelId + " (" + dimension + "). "
                    + "Use the same quarry.embedding.* settings for ingestion and queries, or re-index into a new index.");
        }
        return mappings;
    }

    private TypeMapping mappings(String index) {
        GetMappingResponse response = OpenSearchCall.send("read the mapping of " + index,
                () -> client.indices().getMapping(g -> g.index(index)));
        IndexMappingRecord record = response.result().get(index);
        if (record == null) {
            throw new OpenSearchFailure("Failed to read the mapping of " + index + ": OpenSearch answered for "
                    + response.result().keySet());
        }
        return record.mappings();
    }

    /** The request that creates an index from its definition, with this deployment's replicas. */
    private CreateIndexRequest createRequest(String name, ObjectNode definition) {
        ((ObjectNode) definition.path("settings").path("index")).put("number_of_replicas", replicas);
        IndexSettings settings = OpenSearchJsonMapper.read(definition.path("settings"), IndexSettings._DESERIALIZER);
        TypeMapping mappings = OpenSearchJsonMapper.read(definition.path("mappings"), TypeMapping._DESERIALIZER);
        return CreateIndexRequest.of(c -> c.index(name).settings(settings).mappings(mappings));
    }

    /** Returns true when it created the index. */
    private boolean ensure(CreateIndexRequest request) {
        String name = request.index();
        if (exists(name)) {
            return false;
        }
        try {
            client.indices().create(request);
            return true;
        } catch (IOException | OpenSearchException e) {
            if (OpenSearchCall.errorType(e).equals("resource_already_exists_exception") || exists(name)) {
                return false; // created concurrently by another function
            }
            throw OpenSearchCall.failure("create index " + name, e);
        }
    }

    private boolean exists(String name) {
        // Named for what it is part of: a refused caller learns it may not create the index.
        return OpenSearchCall.send("create index " + name, () -> client.indices().exists(e -> e.index(name))).value();
    }

    /** The index definition {@code opensearch/<name>.json}, packaged from infra/opensearch/. */
    public static ObjectNode definition(String name) {
        try (InputStream in = OpenSearchIndices.class.getResourceAsStream("/opensearch/" + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("Index definition opensearch/" + name + ".json is not on the classpath");
            }
            return (ObjectNode) OpenSearchJsonMapper.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read index definition " + name, e);
        }
    }
}
