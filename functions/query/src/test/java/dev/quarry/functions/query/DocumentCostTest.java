package dev.quarry.functions.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;
import dev.quarry.testsupport.InMemoryStatusStore;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static dev.quarry.functions.query.Corpus.TENANT_A;
import static org.assertj.core.api.Assertions.assertThat;

/** A READY document shows what embedding it cost; one still in the pipeline shows no cost yet. */
@QuarkusTest
class DocumentCostTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @Inject
    InMemoryStatusStore statuses;

    @BeforeEach
    void reset() {
        statuses.clear();
    }

    private static JsonNode get(String id) {
        LambdaEvent.Reply reply = LambdaEvent.from("get-document-tenant-a.json").request("GET", "/v1/documents/" + id).send();
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    @Test
    void a_ready_document_carries_the_tokens_its_embedding_read_at_the_local_models_price_of_nothing() {
        DocumentRecord ready = Corpus.ready(TENANT_A, "warranty.pdf", T0).withEmbeddingTokens(48_213);
        statuses.put(ready);

        JsonNode cost = get(ready.documentId()).path("cost");

        assertThat(cost.path("embeddingTokens").asLong()).as("%s", cost).isEqualTo(48_213);
        assertThat(cost.path("answerInputTokens").asLong()).isZero();
        assertThat(cost.path("usd").isNumber()).isTrue();
        assertThat(cost.path("usd").asDouble()).isZero();
    }

    @Test
    void a_document_still_in_the_pipeline_has_no_cost_yet() {
        DocumentRecord embedding = Corpus.ready(TENANT_A, "warranty.pdf", T0).withStatus(DocumentStatus.EMBEDDING, T0);
        statuses.put(embedding);

        assertThat(get(embedding.documentId()).path("cost").isNull()).isTrue();
    }
}
