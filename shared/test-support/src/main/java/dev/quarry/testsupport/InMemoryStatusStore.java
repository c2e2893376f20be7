package dev.quarry.testsupport;

import dev.quarry.core.port.StatusStore;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Status records in memory. One lock serialises every call, which gives {@link #update} the same
 * outcome as the real store's optimistic retries: each change sees the result of the one before.
 */
public final class InMemoryStatusStore implements StatusStore {
    private static final Comparator<DocumentRecord> NEWEST_FIRST = Comparator
            .comparing(DocumentRecord::createdAt, Comparator.nullsLast(Comparator.<Instant>reverseOrder()))
            .thenComparing(DocumentRecord::documentId);

    private final Map<String, DocumentRecord> records = new HashMap<>();
    private final Map<String, Set<PartMarker>> parts = new HashMap<>();
    /** documentId => (version, part) => the part's embedding tokens. */
    private final Map<String, Map<PartMarker, Long>> partTokens = new HashMap<>();

    private record PartMarker(String version, int part) {
    }

    @Override
    public synchronized Optional<DocumentRecord> get(String documentId) {
        return Optional.ofNullable(records.get(documentId));
    }

    @Override
    public synchronized Optional<DocumentRecord> update(String documentId, UnaryOperator<Optional<DocumentRecord>> change) {
        Optional<DocumentRecord> before = Optional.ofNullable(records.get(documentId));
        Optional<DocumentRecord> after = change.apply(before);
        if (after == null || after.isEmpty()) {
            return before;
        }
        records.put(documentId, after.get());
        return after;
    }

    @Override
    public synchronized int markPartDone(String documentId, String version, int part, long embeddingTokens) {
        parts.computeIfAbsent(documentId, id -> new HashSet<>()).add(new PartMarker(version, part));
        partTokens.computeIfAbsent(documentId, id -> new HashMap<>()).put(new PartMarker(version, part), embeddingTokens);
        return partsDone(documentId, version);
    }

    @Override
    public synchronized long embeddingTokens(String documentId, String version) {
        return partTokens.getOrDefault(documentId, Map.of()).entrySet().stream()
                .filter(e -> e.getKey().version().equals(version)).mapToLong(Map.Entry::getValue).sum();
    }

    @Override
    public synchronized Ingested ingested(String tenant, Instant from, Instant to) {
        List<DocumentRecord> ready = records.values().stream()
                .filter(r -> tenant.equals(r.tenant()) && r.status() == DocumentStatus.READY && r.updatedAt() != null
                        && !r.updatedAt().isBefore(from) && r.updatedAt().isBefore(to))
                .toList();
        return new Ingested(ready.size(), ready.stream().mapToLong(DocumentRecord::embeddingTokens).sum());
    }

    @Override
    public synchronized void deleteParts(String documentId) {
        parts.remove(documentId);
        partTokens.remove(documentId);
    }

    @Override
    public synchronized List<DocumentRecord> list(String tenant, int from, int size) {
        return records.values().stream()
                .filter(r -> tenant.equals(r.tenant()) && r.status() != DocumentStatus.DELETED)
                .sorted(NEWEST_FIRST)
                .skip(from)
                .limit(size)
                .toList();
    }

    @Override
    public synchronized long count(String tenant) {
        return records.values().stream()
                .filter(r -> tenant.equals(r.tenant()) && r.status() != DocumentStatus.DELETED)
                .count();
    }

    /** How many parts of {@code version} are marked done. */
    public synchronized int partsDone(String documentId, String version) {
        return (int) parts.getOrDefault(documentId, Set.of()).stream().filter(m -> m.version().equals(version)).count();
    }

    /** Stores {@code record} as it is, replacing any record with its id (test arrangement). */
    public synchronized void put(DocumentRecord record) {
        records.put(record.documentId(), record);
    }

    public synchronized void clear() {
        records.clear();
        parts.clear();
        partTokens.clear();
    }
}
