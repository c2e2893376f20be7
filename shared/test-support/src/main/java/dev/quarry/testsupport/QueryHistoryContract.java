package dev.quarry.testsupport;

import dev.quarry.core.port.QueryHistory;
import dev.quarry.core.port.QueryHistory.Citation;
import dev.quarry.core.port.QueryHistory.CostSummary;
import dev.quarry.core.port.QueryHistory.Entry;
import dev.quarry.model.ModelCost;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * What every {@link QueryHistory} must do. Extend it with the implementation under test; each test uses
 * its own random tenants and query ids, so a shared real index is fine.
 */
public abstract class QueryHistoryContract {
    private static final Instant T0 = Instant.parse("2026-03-04T05:06:07.890Z");

    /** The history under test; called once before each test. */
    protected abstract QueryHistory history();

    /** Makes writes visible to reads (OpenSearch: refresh the index). Nothing by default. */
    protected void afterWrite() {
    }

    private QueryHistory history;
    private String tenant;
    private String other;

    @BeforeEach
    void startContract() {
        history = history();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        tenant = "contract-" + suffix;
        other = "contract-" + suffix + "-other";
    }

    @Test
    void an_entry_reads_back_with_every_field_as_recorded() {
        Entry entry = new Entry(id(), tenant, "conv-1", "How long does the warranty cover parts?",
                "How long does the warranty cover parts?", "Parts are covered for two years.", "extractive",
                List.of(new Citation("doc-1", "warranty.pdf", 3, "Parts are covered for two years.")), 42,
                new ModelCost(12, 340, 56, 0.0012), T0);

        history.record(entry);
        afterWrite();

        assertThat(history.recent(tenant, 0, 10)).containsExactly(entry);
    }

    @Test
    void an_entry_without_conversation_or_cost_reads_back_with_them_null() {
        Entry entry = new Entry(id(), tenant, null, "q", "q", "a", "llm", List.of(), 7, null, T0);

        history.record(entry);
        afterWrite();

        assertThat(history.recent(tenant, 0, 10)).containsExactly(entry);
    }

    @Test
    void recent_lists_only_the_tenants_entries_newest_first_and_pages_with_from_and_size() {
        Entry first = entry(tenant, null, "first", T0);
        Entry second = entry(tenant, null, "second", T0.plusSeconds(60));
        Entry third = entry(tenant, null, "third", T0.plusSeconds(120));
        history.record(second);
        history.record(entry(other, null, "theirs", T0.plusSeconds(90)));
        history.record(third);
        history.record(first);
        afterWrite();

        assertThat(history.recent(tenant, 0, 10)).extracting(Entry::question).containsExactly("third", "second", "first");
        assertThat(history.recent(tenant, 1, 1)).extracting(Entry::question).containsExactly("second");
        assertThat(history.recent(other, 0, 10)).extracting(Entry::question).containsExactly("theirs");
    }

    @Test
    void recent_of_a_tenant_without_questions_is_empty() {
        assertThat(history.recent(tenant, 0, 10)).isEmpty();
    }

    @Test
    void a_turn_of_a_conversation_is_readable_as_soon_as_it_is_recorded() {
        history.record(entry(tenant, "conv-1", "How long does the warranty cover parts?", T0));

        assertThat(history.conversation(tenant, "conv-1", 3)).extracting(Entry::question)
                .containsExactly("How long does the warranty cover parts?");
    }

    @Test
    void a_conversation_is_its_last_turns_oldest_first_of_that_conversation_and_tenant_only() {
        for (int i = 1; i <= 4; i++) {
            history.record(entry(tenant, "conv-1", "turn " + i, T0.plusSeconds(i)));
        }
        history.record(entry(tenant, "conv-2", "another conversation", T0.plusSeconds(10)));
        history.record(entry(tenant, null, "no conversation", T0.plusSeconds(11)));
        history.record(entry(other, "conv-1", "another tenant's turn", T0.plusSeconds(12)));
        afterWrite();

        assertThat(history.conversation(tenant, "conv-1", 3)).extracting(Entry::question)
                .containsExactly("turn 2", "turn 3", "turn 4");
        assertThat(history.conversation(other, "conv-1", 3)).extracting(Entry::question)
                .containsExactly("another tenant's turn");
        assertThat(history.conversation(tenant, "conv-unknown", 3)).isEmpty();
    }

    @Test
    void costs_sum_the_tenants_questions_of_the_period_and_count_those_without_an_estimate() {
        history.record(costing(tenant, T0, new ModelCost(10, 100, 20, 0.5)));
        history.record(costing(tenant, T0.plusSeconds(3600), new ModelCost(5, 50, 10, 0.25)));
        history.record(costing(tenant, T0.plusSeconds(7200), new ModelCost(3, 30, 6, null)));
        history.record(costing(tenant, T0.plusSeconds(7300), null));
        history.record(costing(tenant, T0.minusSeconds(1), new ModelCost(1000, 1000, 1000, 9.0)));
        history.record(costing(tenant, T0.plusSeconds(86_400), new ModelCost(1000, 1000, 1000, 9.0)));
        history.record(costing(other, T0.plusSeconds(60), new ModelCost(1000, 1000, 1000, 9.0)));
        afterWrite();

        CostSummary sum = history.costs(tenant, T0, T0.plusSeconds(86_400));

        assertThat(sum.questions()).isEqualTo(4);
        assertThat(sum.embeddingTokens()).isEqualTo(18);
        assertThat(sum.answerInputTokens()).isEqualTo(180);
        assertThat(sum.answerOutputTokens()).isEqualTo(36);
        assertThat(sum.usd()).isCloseTo(0.75, within(1e-9));
        assertThat(sum.unpriced()).isEqualTo(2);
    }

    @Test
    void costs_of_a_period_without_questions_are_zero() {
        history.record(costing(tenant, T0, new ModelCost(10, 100, 20, 0.5)));
        afterWrite();

        assertThat(history.costs(tenant, T0.plusSeconds(1), T0.plusSeconds(60))).isEqualTo(new CostSummary(0, 0, 0, 0, 0.0, 0));
    }

    private static String id() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    private static Entry entry(String tenant, String conversationId, String question, Instant at) {
        return new Entry(id(), tenant, conversationId, question, question, "answer to " + question, "extractive", List.of(), 5,
                new ModelCost(1, 0, 0, 0.0), at);
    }

    private static Entry costing(String tenant, Instant at, ModelCost cost) {
        return new Entry(id(), tenant, null, "q", "q", "a", "llm", List.of(), 5, cost, at);
    }
}
