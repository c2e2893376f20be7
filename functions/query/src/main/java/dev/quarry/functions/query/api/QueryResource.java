package dev.quarry.functions.query.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.adapters.opensearch.OpenSearchQueryLog;
import dev.quarry.config.QuarryConfig;
import dev.quarry.ai.SimilarityThresholds;
import dev.quarry.ai.cost.ModelPrices;
import dev.quarry.core.port.ModelUsage;
import dev.quarry.model.ModelCost;
import dev.quarry.ai.answer.Answer;
import dev.quarry.retrieval.answer.ExtractiveAnswer;
import dev.quarry.retrieval.answer.FollowUps;
import dev.quarry.retrieval.answer.Turn;
import dev.quarry.ai.answer.AnswerGenerator;
import dev.quarry.core.Ids;
import dev.quarry.core.port.ChunkIndex;
import dev.quarry.functions.query.service.QueryMetrics;
import dev.quarry.functions.query.service.Retriever;
import dev.quarry.functions.query.service.Tenants;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class QueryResource {
    private static final Logger LOG = Logger.getLogger(QueryResource.class);
    static final String NOTHING_RELEVANT = "No passage of your documents is close enough to the question to answer it.";

    /** Earlier turns of a conversation read for a follow-up: enough for "and in 2019?", little for the prompt. */
    static final int CONVERSATION_TURNS = 3;

    @Inject
    Tenants tenants;
    @Inject
    Retriever retriever;
    @Inject
    AnswerGenerator answers;
    @Inject
    OpenSearchQueryLog history;
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

    @POST
    @Path("/query")
    @Operation(summary = "Answer a question from the tenant's documents; every claim cites document, page and a verbatim quote.")
    public Dtos.QueryResponse query(Dtos.QueryRequest request, @Context APIGatewayV2HTTPEvent event) {
        String tenant = tenants.of(event);
        if (request == null) {
            throw ApiException.badRequest("question", "Send a JSON body like {\"question\": \"...\"}.");
        }
        long t0 = System.nanoTime();
        String question = Validation.text(request.question(), "question");
        int topK = Validation.topK(request.topK(), 5, SearchResource.MAX_TOP_K);
        if (request.conversationId() != null && request.conversationId().length() > 100) {
            throw ApiException.badRequest("conversationId", "'conversationId' must be at most 100 characters.");
        }
        List<Turn> earlier = request.conversationId() == null ? List.of()
                : history.conversation(tenant, request.conversationId(), CONVERSATION_TURNS);
        String searchedFor = FollowUps.resolve(question, earlier);
        Retriever.Result retrieved;
        Answer answer;
        long t1;
        ModelUsage.Tokens used;
        try (ModelUsage.Meter meter = ModelUsage.start()) {
            retrieved = retriever.search(tenant, searchedFor, topK, ChunkIndex.Mode.HYBRID, Validation.documentIds(request.filters()));
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
        metrics.answered(timings, retrieved.hits().size(), cost);
        List<Dtos.CitationView> citations = answer.citations().stream().map(Dtos.CitationView::of).toList();
        String queryId = Ids.sha256Hex(tenant + "|" + UUID.randomUUID()).substring(0, 24);
        record(queryId, tenant, request.conversationId(), question, searchedFor, answer, citations, timings.get("totalMillis"), cost);
        List<Dtos.HitView> hits = SearchResource.views(retrieved.hits());
        return new Dtos.QueryResponse(queryId, answer.text(), answer.mode(), answer.found(), answer.note(), citations,
                hits, timings, answer.removedClaims(), cost, warnings(hits));
    }

    /** One line per passage that reads as instructions to a model. */
    private static List<String> warnings(List<Dtos.HitView> hits) {
        List<String> warnings = new java.util.ArrayList<>();
        for (int i = 0; i < hits.size(); i++) {
            Dtos.HitView h = hits.get(i);
            if (h.flag() != null) {
                warnings.add("Passage " + (i + 1) + " (" + h.name() + ", page " + h.pageStart() + ") contains " + h.flag()
                        + ". It was treated as document text and not followed.");
            }
        }
        return warnings;
    }

    /** Nothing was retrieved, or even the closest passage is not about the question. */
    private boolean nothingRelevant(Retriever.Result retrieved) {
        double min = thresholds.passage();
        return retrieved.hits().isEmpty() || (min > 0 && retrieved.bestSimilarity() < min);
    }

    @GET
    @Path("/queries")
    @Operation(summary = "The tenant's recent questions and answers, newest first.")
    public Map<String, Object> recent(
            @QueryParam("limit") @Parameter(description = "How many, 1 to 100; default 20.",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100")) String limit,
            @Context APIGatewayV2HTTPEvent event) {
        String tenant = tenants.of(event);
        int size = Validation.limit(limit, 20, 100);
        List<JsonNode> items = history.recent(tenant, 0, size);
        return Map.of("queries", items);
    }

    private void record(String queryId, String tenant, String conversationId, String question, String searchedFor, Answer answer,
            List<Dtos.CitationView> citations, long took, ModelCost cost) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("queryId", queryId);
        entry.put("tenant", tenant);
        entry.put("conversationId", conversationId);
        entry.put("question", question);
        entry.put("searchedFor", searchedFor);
        entry.put("answer", answer.text());
        entry.put("answerMode", answer.mode());
        entry.put("citations", citations);
        entry.put("tookMillis", took);
        entry.put("cost", cost);
        entry.put("createdAt", clock.instant().toString());
        try {
            history.record(queryId, entry);
        } catch (RuntimeException e) {
            LOG.warnf("Could not record query %s in the history: %s", queryId, e.getMessage()); // the answer still goes out
        }
    }
}
