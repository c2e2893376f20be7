package dev.quarry.adapters.opensearch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.core.port.RetryableException;
import dev.quarry.core.port.StatusStore;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.Conflicts;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch._types.Refresh;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.GetResponse;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.search.Hit;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Document status records in an OpenSearch index, updated with optimistic concurrency
 * (if_seq_no/if_primary_term) so that parallel parts never overwrite each other's progress.
 */
public final class OpenSearchStatusStore implements StatusStore {
    private static final int MAX_CONFLICT_RETRIES = 20;

    private final OpenSearchClient client;
    private final String index;
    private final OnFirstUse createIndex;

    /** A store that creates its index from infra/opensearch/quarry-documents.json on first use. */
    public OpenSearchStatusStore(OpenSearchClient client, String index) {
        this(client, index, new OpenSearchIndices(client, OpenSearchIndices.CHUNKS, index, OpenSearchIndices.QUERIES)::ensureStatusIndex);
    }

    public OpenSearchStatusStore(OpenSearchClient client, String index, Runnable createIndex) {
        this.client = client;
        this.index = index;
        this.createIndex = new OnFirstUse(createIndex);
    }

    @Override
    public Optional<DocumentRecord> get(String documentId) {
        createIndex.ensure();
        return read(documentId, "read status of " + documentId).map(GetResponse::source);
    }

    /** The stored record with its sequence number and primary term, or empty when there is none. */
    private Optional<GetResponse<DocumentRecord>> read(String documentId, String action) {
        try {
            GetResponse<DocumentRecord> r = client.get(g -> g.index(index).id(documentId), DocumentRecord.class);
            return r.found() ? Optional.of(r) : Optional.empty();
        } catch (IOException | OpenSearchException e) {
            if (OpenSearchCall.status(e) == 404) {
                return Optional.empty();
            }
            throw OpenSearchCall.failure(action, e);
        }
    }

    @Override
    public Optional<DocumentRecord> update(String documentId, UnaryOperator<Optional<DocumentRecord>> change) {
        createIndex.ensure();
        String action = "update status of " + documentId;
        for (int attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
            Optional<GetResponse<DocumentRecord>> current = read(documentId, action);
            Optional<DocumentRecord> before = current.map(GetResponse::source);
            Optional<DocumentRecord> after = change.apply(before);
            if (after == null || after.isEmpty()) {
                return before;
            }
            ObjectNode document = write(after.get());
            try {
                if (current.isPresent()) {
                    // Written only if nobody wrote it since it was read: parallel parts never overwrite each other's progress.
                    client.index(i -> i.index(index).id(documentId).document(document).refresh(Refresh.True)
                            .ifSeqNo(current.get().seqNo()).ifPrimaryTerm(current.get().primaryTerm()));
                } else {
                    client.create(c -> c.index(index).id(documentId).document(document).refresh(Refresh.True));
                }
                return after;
            } catch (IOException | OpenSearchException e) {
                if (OpenSearchCall.status(e) != 409) {
                    throw OpenSearchCall.failure(action, e);
                }
            }
            sleep(attempt);
        }
        throw new RetryableException("Failed to update status of " + documentId + ": too many concurrent updates");
    }

    @Override
    public int markPartDone(String documentId, String version, int part, long embeddingTokens) {
        createIndex.ensure();
        ObjectNode marker = OpenSearchJsonMapper.JSON.createObjectNode().put("kind", "part").put("documentId", documentId)
                .put("version", version).put("part", part).put("embeddingTokens", embeddingTokens);
        OpenSearchCall.send("record part " + part + " of " + documentId, () -> client.index(i -> i.index(index)
                .id(documentId + "@" + version + "#" + part).document(marker).refresh(Refresh.True)));
        return (int) OpenSearchCall.send("count parts of " + documentId,
                () -> client.count(c -> c.index(index).query(parts(documentId, version)))).count();
    }

    @Override
    public long embeddingTokens(String documentId, String version) {
        createIndex.ensure();
        SearchResponse<ObjectNode> r = OpenSearchCall.send("sum the embedding tokens of " + documentId,
                () -> client.search(s -> s.index(index).size(0).query(parts(documentId, version))
                        .aggregations("tokens", a -> a.sum(sum -> sum.field("embeddingTokens"))), ObjectNode.class));
        return OpenSearchQueries.sum(r, "tokens");
    }

    @Override
    public void deleteParts(String documentId) {
        createIndex.ensure();
        Query parts = OpenSearchQueries.filter(OpenSearchQueries.term("kind", "part"), OpenSearchQueries.term("documentId", documentId));
        OpenSearchCall.send("delete parts of " + documentId, () -> client.deleteByQuery(d -> d.index(index).query(parts)
                .refresh(Refresh.True).conflicts(Conflicts.Proceed)));
    }

    @Override
    public List<DocumentRecord> list(String tenant, int from, int size) {
        createIndex.ensure();
        SearchResponse<DocumentRecord> r = OpenSearchCall.send("list documents", () -> client.search(s -> s.index(index)
                .query(tenantDocuments(tenant)).from(from).size(size).sort(OpenSearchQueries.newestFirst("createdAt")),
                DocumentRecord.class));
        return r.hits().hits().stream().map(Hit::source).toList();
    }

    @Override
    public long count(String tenant) {
        createIndex.ensure();
        return OpenSearchCall.send("count documents", () -> client.count(c -> c.index(index).query(tenantDocuments(tenant)))).count();
    }

    @Override
    public Ingested ingested(String tenant, Instant from, Instant to) {
        createIndex.ensure();
        Query ready = OpenSearchQueries.filter(OpenSearchQueries.term("kind", "document"), OpenSearchQueries.term("tenant", tenant),
                OpenSearchQueries.term("status", DocumentStatus.READY.name()), OpenSearchQueries.range("updatedAt", from, to));
        SearchResponse<ObjectNode> r = OpenSearchCall.send("sum the embedding tokens of " + tenant + "'s documents",
                () -> client.search(s -> s.index(index).size(0).trackTotalHits(t -> t.enabled(true)).query(ready)
                        .aggregations("tokens", a -> a.sum(sum -> sum.field("embeddingTokens"))), ObjectNode.class));
        return new Ingested(r.hits().total().value(), OpenSearchQueries.sum(r, "tokens"));
    }

    private static Query parts(String documentId, String version) {
        return OpenSearchQueries.filter(OpenSearchQueries.term("kind", "part"), OpenSearchQueries.term("documentId", documentId),
                OpenSearchQueries.term("version", version));
    }

    private static Query tenantDocuments(String tenant) {
        return OpenSearchQueries.filterNot(List.of(OpenSearchQueries.term("kind", "document"), OpenSearchQueries.term("tenant", tenant)),
                OpenSearchQueries.term("status", DocumentStatus.DELETED.name()));
    }

    private static ObjectNode write(DocumentRecord record) {
        ObjectNode node = OpenSearchJsonMapper.JSON.valueToTree(record);
        node.put("kind", "document");
        return node;
    }

    private static void sleep(int attempt) {
        try {
            Thread.sleep(5L + (long) (Math.random() * 20 * (attempt + 1)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
