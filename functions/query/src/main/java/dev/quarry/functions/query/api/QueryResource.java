package dev.quarry.functions.query.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.quarry.functions.query.service.Questions;
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

import java.util.ArrayList;
import java.util.List;

/** HTTP in, {@link Questions} call, HTTP out: the request is checked here, answering is the service's. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class QueryResource {

    @Inject
    Tenants tenants;
    @Inject
    Questions questions;

    @POST
    @Path("/query")
    @Operation(summary = "Answer a question from the tenant's documents; every claim cites document, page and a verbatim quote.")
    public Dtos.QueryResponse query(Dtos.QueryRequest request, @Context APIGatewayV2HTTPEvent event) {
        String tenant = tenants.of(event);
        if (request == null) {
            throw ApiException.badRequest("question", "Send a JSON body like {\"question\": \"...\"}.");
        }
        String question = Validation.text(request.question(), "question");
        int topK = Validation.topK(request.topK(), 5, SearchResource.MAX_TOP_K);
        if (request.conversationId() != null && request.conversationId().length() > 100) {
            throw ApiException.badRequest("conversationId", "'conversationId' must be at most 100 characters.");
        }
        Questions.Answered a = questions.ask(tenant, question, topK, request.conversationId(),
                Validation.documentIds(request.filters()));
        List<Dtos.HitView> hits = SearchResource.views(a.hits());
        return new Dtos.QueryResponse(a.queryId(), a.answer().text(), a.answer().mode(), a.answer().found(), a.answer().note(),
                a.answer().citations().stream().map(Dtos.CitationView::of).toList(), hits, a.timings(),
                a.answer().removedClaims(), a.cost(), warnings(hits));
    }

    /** One line per passage that reads as instructions to a model. */
    private static List<String> warnings(List<Dtos.HitView> hits) {
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < hits.size(); i++) {
            Dtos.HitView h = hits.get(i);
            if (h.flag() != null) {
                warnings.add("Passage " + (i + 1) + " (" + h.name() + ", page " + h.pageStart() + ") contains " + h.flag()
                        + ". It was treated as document text and not followed.");
            }
        }
        return warnings;
    }

    @GET
    @Path("/queries")
    @Operation(summary = "The tenant's recent questions and answers, newest first.")
    public Dtos.HistoryList recent(
            @QueryParam("limit") @Parameter(description = "How many, 1 to 100; default 20.",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100")) String limit,
            @Context APIGatewayV2HTTPEvent event) {
        String tenant = tenants.of(event);
        int size = Validation.limit(limit, 20, 100);
        return new Dtos.HistoryList(questions.recent(tenant, size).stream().map(Dtos.HistoryEntry::of).toList());
    }
}
