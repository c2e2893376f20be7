package dev.quarry.functions.query.service;

import dev.quarry.ai.SimilarityThresholds;
import dev.quarry.ai.answer.Answer;
import dev.quarry.ai.answer.AnswerGenerator;
import dev.quarry.ai.cost.ModelPrices;
import dev.quarry.config.QuarryConfig;
import dev.quarry.core.Ids;
import dev.quarry.core.port.ChunkIndex;
import dev.quarry.core.port.ModelUsage;
import dev.quarry.core.port.QueryHistory;
import dev.quarry.model.ModelCost;
import dev.quarry.model.SearchHit;
import dev.quarry.retrieval.answer.ExtractiveAnswer;
import dev.quarry.retrieval.answer.FollowUps;
import dev.quarry.retrieval.answer.Turn;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A tenant's questions: answered from its documents (a follow-up of a conversation read against the earlier
 * turns), each recorded in its history, which the tenant can list.
 */
@ApplicationScoped
public class Questions {
    private static final Logger LOG = Logger.getLogger(Questions.class);
    static final String NOTHING_RELEVANT = "No passage of your documents is close enough to the question to answer it.";

    /** Earlier turns of a conversation read for a follow-up: enough for "and in 2019?", little for the prompt. */
    static final int CONVERSATION_TURNS = 3;

    @Inject
    Retriever retriever;
    @Inject
    AnswerGenerator answers;
    @Inject
    QueryHistory history;
    @Inject
    Clock clock;
    @Inject
    QuarryConfig config;
    @Inject
    SimilarityThresholds thresholds;
    @Inject
    ModelPrices prices;
    @Inject
    QueryMetrics metrics;

    /** A question answered: the answer, the passages it was drawn from, the timings and its estimated cost. */
    public record Answered(String queryId, Answer answer, List<SearchHit> hits, Map<String, Long> timings, ModelCost cost) {
    }

    /**
     * Answers {@code question} from the tenant's documents (only {@code documentIds} when not empty) and records it.
     * With a {@code conversationId} the question is read against that conversation's last turns.
     */
    public Answered ask(String tenant, String question, int topK, String conversationId, List<String> documentIds) {
        long t0 = System.nanoTime();
        List<Turn> earlier = conversationId == null ? List.of()
                : history.conversation(tenant, conversationId, CONVERSATION_TURNS).stream()
                        .map(e -> new Turn(e.question(), e.searchedFor(), e.answer() == null ? "" : e.answer())).toList();
        String searchedFor = FollowUps.resolve(question, earlier);
        Retriever.Result retrieved;
        Answer answer;
        long t1;
        ModelUsage.Tokens used;
        try (ModelUsage.Meter meter = ModelUsage.start()) {
            retrieved = retriever.search(tenant, searchedFor, topK, ChunkIndex.Mode.HYBRID, documentIds);
            t1 = System.nanoTime();
            answer = nothingRelevant(retrieved)
                    ? new Answer(ExtractiveAnswer.NOT_FOUND,
                            config.answer().provider().usesModel() ? "llm" : "extractive", List.of(), false,
                            NOTHING_RELEVANT)
                    : answers.answer(question, searchedFor, retrieved.hits(), earlier);
            used = meter.tokens();
        }
        long t2 = System.nanoTime();
        ModelCost cost = prices.cost(used);
        Map<String, Long> timings = new LinkedHashMap<>(retrieved.timings());
        timings.put("answerMillis", (t2 - t1) / 1_000_000);
        timings.put("totalMillis", (t2 - t0) / 1_000_000);
        String queryId = Ids.sha256Hex(tenant + "|" + UUID.randomUUID()).substring(0, 24);
        record(new QueryHistory.Entry(queryId, tenant, conversationId, question, searchedFor, answer.text(), answer.mode(),
                answer.citations().stream().map(c -> new QueryHistory.Citation(c.documentId(), c.name(), c.page(), c.quote())).toList(),
                timings.get("totalMillis"), cost, clock.instant()));
        metrics.answered(timings, retrieved.hits().size(), cost);
        return new Answered(queryId, answer, retrieved.hits(), timings, cost);
    }

    /** The tenant's last {@code limit} questions and answers, newest first. */
    public List<QueryHistory.Entry> recent(String tenant, int limit) {
        return history.recent(tenant, 0, limit);
    }

    /** Nothing was retrieved, or even the closest passage is not about the question. */
    private boolean nothingRelevant(Retriever.Result retrieved) {
        double min = thresholds.passage();
        return retrieved.hits().isEmpty() || (min > 0 && retrieved.bestSimilarity() < min);
    }

    /** A history that cannot be written costs the entry, never the answer. */
    private void record(QueryHistory.Entry entry) {
        try {
            history.record(entry);
        } catch (RuntimeException e) {
            LOG.warnf("Could not record query %s in the history: %s", entry.queryId(), e.getMessage());
        }
    }
}
