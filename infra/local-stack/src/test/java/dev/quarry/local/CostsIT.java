package dev.quarry.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The estimated cost of a READY document and of every answer, and a tenant's sum for a period, through the real stack
 * (the embed stage's metering, the part markers' sum in OpenSearch, the history's aggregation).
 */
@ExtendWith(StackSession.class)
class CostsIT {

    @Test
    void each_answer_carries_its_cost_and_the_tenants_day_sums_them() {
        StackConfig config = StackSession.ensure();
        Path pdf = config.projectRoot().resolve("shared/core/src/test/resources/pdfs/texlive-latex-base-doc__xspace.pdf");
        Api api = new Api(config, "it-costs-" + UUID.randomUUID().toString().substring(0, 8));
        String id = api.upload("xspace.pdf", pdf);
        JsonNode document = api.awaitTerminal(List.of(id), Duration.ofMinutes(5)).get(id);
        assertThat(document.path("status").asText()).isEqualTo("READY");
        long documentTokens = document.path("cost").path("embeddingTokens").asLong();
        assertThat(documentTokens).as("tokens the embedding read for %s", document)
                .isGreaterThanOrEqualTo(document.path("chunks").asLong());
        assertThat(document.path("cost").path("usd").asDouble()).as("the local model costs nothing").isZero();

        long tokens = 0;
        for (String question : List.of("When does xspace add a space after a command?", "Who maintains the xspace package?")) {
            Api.Response answer = api.call("POST", "/v1/query", Api.JSON.createObjectNode().put("question", question).toString());
            assertThat(answer.status()).as("%s", answer.body()).isEqualTo(200);
            JsonNode cost = answer.body().path("cost");
            assertThat(cost.path("embeddingTokens").asLong()).as("%s", cost).isPositive();
            assertThat(cost.path("usd").asDouble()).as("local models cost nothing: %s", cost).isZero();
            tokens += cost.path("embeddingTokens").asLong();
        }

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        // The history index refreshes once a second.
        JsonNode sum = Await.until("both questions in the day's sum", Duration.ofSeconds(30),
                () -> api.call("GET", "/v1/costs?from=" + today + "&to=" + today, null).body(),
                body -> body.path("questions").path("count").asLong() == 2);
        assertThat(sum.path("questions").path("embeddingTokens").asLong()).isEqualTo(tokens);
        assertThat(sum.path("questions").path("withoutEstimate").asLong()).isZero();
        assertThat(sum.path("documents").path("count").asLong()).as("%s", sum).isEqualTo(1);
        assertThat(sum.path("documents").path("embeddingTokens").asLong()).isEqualTo(documentTokens);
        assertThat(sum.path("usd").asDouble()).isZero();
    }
}
