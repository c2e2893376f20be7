package dev.quarry.core.port;

import dev.quarry.model.ModelCost;

import java.time.Instant;
import java.util.List;

/**
 * Each tenant's questions and answers: what GET /v1/queries lists, what a follow-up of a conversation reads,
 * and what GET /v1/costs sums. Every read is scoped to one tenant.
 */
public interface QueryHistory {

    /**
     * Records one question and answer. A turn of a conversation is readable by {@link #conversation} when this
     * returns, so the next turn finds it even a moment later.
     */
    void record(Entry entry);

    /** The last {@code max} entries of one of the tenant's conversations, oldest first. */
    List<Entry> conversation(String tenant, String conversationId, int max);

    /** The tenant's entries, newest first, skipping {@code from}. */
    List<Entry> recent(String tenant, int from, int size);

    /** Sums the estimated cost of the tenant's questions asked from {@code from} (inclusive) to {@code to} (exclusive). */
    CostSummary costs(String tenant, Instant from, Instant to);

    /**
     * One question and its answer.
     *
     * @param conversationId null for a question asked on its own
     * @param searchedFor    what the question was resolved to for retrieval (a follow-up read against earlier turns);
     *                       the question itself for one that stands on its own
     * @param tookMillis     the time to answer, end to end
     * @param cost           the question's estimated model cost; null for an entry recorded before costs were
     */
    record Entry(String queryId, String tenant, String conversationId, String question, String searchedFor, String answer,
            String answerMode, List<Citation> citations, long tookMillis, ModelCost cost, Instant createdAt) {
        public Entry {
            citations = citations == null ? List.of() : List.copyOf(citations);
        }
    }

    /** A place in a document the answer cites, with the verbatim quote. */
    record Citation(String documentId, String name, int page, String quote) {
    }

    /**
     * What a tenant's questions of a period cost; {@code unpriced} of them have no estimate in {@code usd} (a model without a
     * known price, or asked before costs were recorded).
     */
    record CostSummary(long questions, long embeddingTokens, long answerInputTokens, long answerOutputTokens, double usd,
            long unpriced) {
    }
}
