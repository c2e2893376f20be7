package dev.quarry.functions.query.fakes;

import dev.quarry.core.port.StatusStore;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;

import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Document status records in memory; {@link #update} is atomic like the optimistic-concurrency adapter. */
public final class InMemoryStatusStore implements StatusStore {
    private static final int MAX_RESULT_WINDOW = 10_000;
    private final Map<String, DocumentRecord> records = new HashMap<>();
    private final Map<String, Set<String>> parts = new HashMap<>();

    public synchronized void clear() {
        records.clear();
        parts.clear();
    }

    public synchronized void put(DocumentRecord record) {
        records.put(record.documentId(), record);
    }

    @Override
    public synchronized Optional<DocumentRecord> get(String documentId) {
        return Optional.ofNullable(records.get(documentId));
    }

    @Override
    public synchronized Optional<DocumentRecord> update(String documentId, UnaryOperator<Optional<DocumentRecord>> change) {
        Optional<DocumentRecord> current = Optional.ofNullable(records.get(documentId));
        Optional<DocumentRecord> next = change.apply(current);
        if (next == null || next.isEmpty()) {
            return current;
        }
        records.put(documentId, next.get());
        return next;
    }

    @Override
    public synchronized int markPartDone(String documentId, String version, int part) {
        Set<String> done = parts.computeIfAbsent(documentId, k -> new HashSet<>());
        done.add(version + "#" + part);
        return (int) done.stream().filter(p -> p.startsWith(version + "#")).count();
    }

    @Override
    public synchronized void deleteParts(String documentId) {
        parts.remove(documentId);
    }

    /** Fails past OpenSearch's default index.max_result_window, as the OpenSearch adapter does. */
    @Override
    public synchronized List<DocumentRecord> list(String tenant, int from, int size) {
        if (from + size > MAX_RESULT_WINDOW) {
            throw new IllegalStateException("Failed to list documents: OpenSearch answered 400 Result window is too large, from + size must be"
                    + " less than or equal to: [" + MAX_RESULT_WINDOW + "] but was [" + (from + size) + "]");
        }
        return visible(tenant).stream()
                .sorted(Comparator.comparing(DocumentRecord::createdAt).reversed())
                .skip(from).limit(size).toList();
    }

    @Override
    public synchronized long count(String tenant) {
        return visible(tenant).size();
    }

    private List<DocumentRecord> visible(String tenant) {
        return records.values().stream()
                .filter(r -> tenant.equals(r.tenant()) && r.status() != DocumentStatus.DELETED).toList();
    }
}
