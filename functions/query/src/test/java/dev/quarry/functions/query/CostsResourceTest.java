package dev.quarry.functions.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.core.port.Embedder;
import dev.quarry.testsupport.InMemoryChunkIndex;
import dev.quarry.testsupport.InMemoryQueryHistory;
import dev.quarry.testsupport.InMemoryStatusStore;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static dev.quarry.functions.query.Corpus.TENANT_B;
import static org.assertj.core.api.Assertions.assertThat;

/** GET /v1/costs: the estimated cost of the caller's questions over whole days, from the question history. */
@QuarkusTest
class CostsResourceTest {
    @Inject
    InMemoryChunkIndex index;
    @Inject
    Embedder embedder;
    @Inject
    InMemoryQueryHistory history;
    @Inject
    InMemoryStatusStore statuses;

    @BeforeEach
    void seed() {
        index.clear();
        history.clear();
        statuses.clear();
        Corpus.seed(index, embedder);
    }

    private static JsonNode ask(String tenant, String question) {
        LambdaEvent.Reply reply = LambdaEvent.from("query-tenant-a.json").tenant(tenant)
                .body("{\"question\":\"" + question + "\"}").send();
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().path("cost");
    }

    private static LambdaEvent costs(String query) {
        return LambdaEvent.from("list-queries-tenant-a.json").request("GET", "/v1/costs").query(query);
    }

    @Test
    void sums_the_callers_questions_of_the_period_and_no_one_elses() {
        JsonNode first = ask(Corpus.TENANT_A, "How long does the warranty cover parts?");
        JsonNode second = ask(Corpus.TENANT_A, "Which items can be returned?");
        ask(TENANT_B, "Who handles warranty claims in the other tenant?");
        Instant now = Instant.now();
        statuses.put(Corpus.ready(Corpus.TENANT_A, "today.pdf", now).withEmbeddingTokens(4_000));
        statuses.put(Corpus.ready(Corpus.TENANT_A, "last-year.pdf", now.minus(Duration.ofDays(400))).withEmbeddingTokens(9_000));
        statuses.put(Corpus.ready(TENANT_B, "theirs.pdf", now).withEmbeddingTokens(7_000));
        String today = LocalDate.now(ZoneOffset.UTC).toString();

        LambdaEvent.Reply reply = costs("from=" + today + "&to=" + today).send();

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode sum = reply.json();
        assertThat(sum.path("tenant").asText()).isEqualTo(Corpus.TENANT_A);
        JsonNode questions = sum.path("questions");
        assertThat(questions.path("count").asLong()).as("%s", sum).isEqualTo(2);
        assertThat(questions.path("embeddingTokens").asLong()).isPositive()
                .isEqualTo(first.path("embeddingTokens").asLong() + second.path("embeddingTokens").asLong());
        assertThat(questions.path("answerInputTokens").asLong()).isZero();
        assertThat(questions.path("withoutEstimate").asLong()).isZero();
        assertThat(sum.path("documents").path("count").asLong()).as("%s", sum).isEqualTo(1);
        assertThat(sum.path("documents").path("embeddingTokens").asLong()).isEqualTo(4_000);
        assertThat(sum.path("usd").asDouble()).as("local models").isZero();
    }

    @Test
    void a_period_before_the_questions_sums_nothing_and_this_month_is_the_default() {
        ask(Corpus.TENANT_A, "How long does the warranty cover parts?");

        assertThat(costs("from=2020-01-01&to=2020-12-31").send().json().path("questions").path("count").asLong()).isZero();
        JsonNode month = costs("").send().json();
        assertThat(month.path("questions").path("count").asLong()).isEqualTo(1);
        assertThat(month.path("from").asText()).isEqualTo(LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).toString());
    }

    @Test
    void rejects_a_day_that_is_not_one_or_a_period_that_ends_before_it_starts() {
        QueryResourceTest.assertBadRequest(costs("from=yesterday").send(), "from");
        QueryResourceTest.assertBadRequest(costs("from=2026-12-02&to=2026-12-01").send(), "to");
    }
}
