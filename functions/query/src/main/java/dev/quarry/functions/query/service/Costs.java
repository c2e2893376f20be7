package dev.quarry.functions.query.service;

import dev.quarry.ai.cost.ModelPrices;
import dev.quarry.core.port.ModelUsage;
import dev.quarry.core.port.QueryHistory;
import dev.quarry.core.port.StatusStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** What a tenant's use of the models cost over whole days (UTC): its questions and its documents made READY. */
@ApplicationScoped
public class Costs {

    @Inject
    QueryHistory history;
    @Inject
    StatusStore statuses;
    @Inject
    ModelPrices prices;
    @Inject
    Clock clock;

    /**
     * @param questions   as each question was answered (tokens and USD at the prices of the time)
     * @param documents   the documents made READY in the period and the tokens their embedding read
     * @param documentsUsd the documents' embedding at the configured price now; null when the model has no price
     */
    public record Report(QueryHistory.CostSummary questions, StatusStore.Ingested documents, Double documentsUsd) {
        /** Questions and documents together; null when the documents have no estimate. */
        public Double usd() {
            return documentsUsd == null ? null : questions.usd() + documentsUsd;
        }
    }

    /** Today in UTC: the days of a period are whole UTC days. */
    public LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    /** From the start of {@code first} to the end of {@code last}, both UTC days. */
    public Report between(String tenant, LocalDate first, LocalDate last) {
        Instant start = first.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        StatusStore.Ingested ingested = statuses.ingested(tenant, start, end);
        return new Report(history.costs(tenant, start, end), ingested,
                prices.cost(new ModelUsage.Tokens(ingested.embeddingTokens(), 0, 0)).usd());
    }
}
