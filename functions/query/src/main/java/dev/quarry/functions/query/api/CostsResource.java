package dev.quarry.functions.query.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.quarry.adapters.opensearch.OpenSearchQueryLog;
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

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

@Path("/v1/costs")
@Produces(MediaType.APPLICATION_JSON)
public class CostsResource {

    @Inject
    Tenants tenants;
    @Inject
    OpenSearchQueryLog history;
    @Inject
    Clock clock;

    @GET
    @Operation(summary = "The estimated model cost of the tenant's questions over whole days (UTC): tokens and USD at the "
            + "configured prices. Default: this month so far.")
    public Map<String, Object> costs(
            @QueryParam("from") @Parameter(description = "First day, YYYY-MM-DD; default the first of this month.") String from,
            @QueryParam("to") @Parameter(description = "Last day (included), YYYY-MM-DD; default today.") String to,
            @Context APIGatewayV2HTTPEvent event) {
        String tenant = tenants.of(event);
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate first = day(from, "from", today.withDayOfMonth(1));
        LocalDate last = day(to, "to", today);
        if (last.isBefore(first)) {
            throw ApiException.badRequest("to", "'to' (" + last + ") is before 'from' (" + first + ").");
        }
        OpenSearchQueryLog.CostSummary sum = history.costs(tenant, first.atStartOfDay(ZoneOffset.UTC).toInstant(),
                last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant", tenant);
        body.put("from", first.toString());
        body.put("to", last.toString());
        body.put("questions", sum.questions());
        body.put("embeddingTokens", sum.embeddingTokens());
        body.put("answerInputTokens", sum.answerInputTokens());
        body.put("answerOutputTokens", sum.answerOutputTokens());
        body.put("usd", sum.usd());
        body.put("questionsWithoutEstimate", sum.unpriced());
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
