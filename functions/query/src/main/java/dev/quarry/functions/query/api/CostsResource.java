package dev.quarry.functions.query.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.quarry.functions.query.service.Costs;
import dev.quarry.functions.query.service.Tenants;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** HTTP in, {@link Costs} call, HTTP out. */
@Path("/v1/costs")
@Produces(MediaType.APPLICATION_JSON)
public class CostsResource {

    @Inject
    Tenants tenants;
    @Inject
    Costs costs;

    @GET
    @Operation(summary = "The estimated model cost of the tenant over whole days (UTC; default this month so far): its "
            + "questions (tokens and USD as each was answered) and its documents made READY (embedding tokens, USD at the "
            + "configured price now). usd is null when a model without a price was used.")
    public Map<String, Object> costs(
            @QueryParam("from") @Parameter(description = "First day, YYYY-MM-DD; default the first of this month.") String from,
            @QueryParam("to") @Parameter(description = "Last day (included), YYYY-MM-DD; default today.") String to,
            @Context APIGatewayV2HTTPEvent event) {
        String tenant = tenants.of(event);
        LocalDate today = costs.today();
        LocalDate first = day(from, "from", today.withDayOfMonth(1));
        LocalDate last = day(to, "to", today);
        if (last.isBefore(first)) {
            throw ApiException.badRequest("to", "'to' (" + last + ") is before 'from' (" + first + ").");
        }
        Costs.Report report = costs.between(tenant, first, last);
        var asked = report.questions();
        var ingested = report.documents();

        Map<String, Object> questions = new LinkedHashMap<>();
        questions.put("count", asked.questions());
        questions.put("embeddingTokens", asked.embeddingTokens());
        questions.put("answerInputTokens", asked.answerInputTokens());
        questions.put("answerOutputTokens", asked.answerOutputTokens());
        questions.put("usd", asked.usd());
        questions.put("withoutEstimate", asked.unpriced());
        Map<String, Object> documents = new LinkedHashMap<>();
        documents.put("count", ingested.documents());
        documents.put("embeddingTokens", ingested.embeddingTokens());
        documents.put("usd", report.documentsUsd());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant", tenant);
        body.put("from", first.toString());
        body.put("to", last.toString());
        body.put("questions", questions);
        body.put("documents", documents);
        body.put("usd", report.usd());
        return body;
    }

    private static LocalDate day(String value, String field, LocalDate fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(field, "'" + field + "' must be a day like 2026-12-01; got '" + value + "'.");
        }
    }
}
