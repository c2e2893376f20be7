package dev.quarry.functions.query.fakes;

import dev.quarry.core.port.ChunkIndex;
import dev.quarry.model.IndexedChunk;
import dev.quarry.testsupport.InMemoryChunkIndex;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The contract-tested in-memory index of shared/test-support, remembering the queries it served so
 * a test can see whose chunks a request searched, or that it searched none.
 */
public final class RecordingChunkIndex implements ChunkIndex {
    private final InMemoryChunkIndex index = new InMemoryChunkIndex();
    private final List<Query> queries = new CopyOnWriteArrayList<>();

    public List<Query> queries() {
        return List.copyOf(queries);
    }

    public void clear() {
        index.clear();
        queries.clear();
    }

    @Override
    public void checkModel(String modelId, int dimension) {
        index.checkModel(modelId, dimension);
    }

    @Override
    public void index(List<IndexedChunk> chunks) {
        index.index(chunks);
    }

    @Override
    public long count(String tenant, String documentId, String version) {
        return index.count(tenant, documentId, version);
    }

    @Override
    public void deleteDocument(String tenant, String documentId) {
        index.deleteDocument(tenant, documentId);
    }

    @Override
    public void deleteOtherVersions(String tenant, String documentId, String keepVersion) {
        index.deleteOtherVersions(tenant, documentId, keepVersion);
    }

    @Override
    public void deletePartExcept(String tenant, String documentId, String version, int part,
            java.util.Collection<String> keepChunkIds) {
        index.deletePartExcept(tenant, documentId, version, part, keepChunkIds);
    }

    @Override
    public Retrieval search(Query query) {
        queries.add(query);
        return index.search(query);
    }
}
