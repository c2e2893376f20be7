package dev.quarry.testsupport;

import dev.quarry.core.port.QueryHistory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The question history in memory: entries by query id (a second record of an id replaces it), read per tenant. */
public final class InMemoryQueryHistory implements QueryHistory {
    private static final Comparator<Entry> NEWEST_FIRST = Comparator.comparing(Entry::createdAt).reversed();

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    @Override
    public synchronized void record(Entry entry) {
        entries.put(entry.queryId(), entry);
    }

    @Override
    public synchronized List<Entry> conversation(String tenant, String conversationId, int max) {
        return entries.values().stream()
                .filter(e -> tenant.equals(e.tenant()) && conversationId.equals(e.conversationId()))
                .sorted(NEWEST_FIRST).limit(max).toList().reversed();
    }

    @Override
    public synchronized List<Entry> recent(String tenant, int from, int size) {
        return entries.values().stream().filter(e -> tenant.equals(e.tenant())).sorted(NEWEST_FIRST).skip(from).limit(size).toList();
    }

    @Override
    public synchronized CostSummary costs(String tenant, Instant from, Instant to) {
        long questions = 0;
        long embedding = 0;
        long input = 0;
        long output = 0;
        double usd = 0;
        long unpriced = 0;
        for (Entry e : entries.values()) {
            if (!tenant.equals(e.tenant()) || e.createdAt().isBefore(from) || !e.createdAt().isBefore(to)) {
                continue;
            }
            questions++;
            if (e.cost() == null) {
                unpriced++;
                continue;
            }
            embedding += e.cost().embeddingTokens();
            input += e.cost().answerInputTokens();
            output += e.cost().answerOutputTokens();
            if (e.cost().usd() == null) {
                unpriced++;
            } else {
                usd += e.cost().usd();
            }
        }
        return new CostSummary(questions, embedding, input, output, usd, unpriced);
    }

    /** Every entry of every tenant, in the order first recorded. */
    public synchronized List<Entry> all() {
        return List.copyOf(new ArrayList<>(entries.values()));
    }

    public synchronized void clear() {
        entries.clear();
    }
}
