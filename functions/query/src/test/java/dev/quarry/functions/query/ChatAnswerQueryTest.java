package dev.quarry.functions.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.core.port.Embedder;
import dev.quarry.functions.query.fakes.FakeChatCompletions;
import dev.quarry.functions.query.fakes.HashingEmbedding;
import dev.quarry.testsupport.InMemoryChunkIndex;
import dev.quarry.testsupport.InMemoryQueryHistory;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** /v1/query with a chat model (an OpenAI-compatible endpoint faked on a local port) instead of extractive answers. */
@QuarkusTest
@TestProfile(ChatAnswerQueryTest.ChatModel.class)
class ChatAnswerQueryTest {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final String KEPT = "Parts are covered for two years [1, 2, 3] \"The warranty covers parts for two years\".";
    private static final String INVENTED = "Labour is covered for ten years [1, 2, 3] \"Labour is covered for ten years\".";

    public static class ChatModel implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeChatCompletions.class));
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(HashingEmbedding.class);
        }

        /** The hashing embedder's cosines mean nothing to the relevance gate, which is not under test here. */
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarry.answer.min-passage-similarity", "0",
                    // an OpenAI-compatible endpoint has no listed price: the deployment sets it
                    "quarry.cost.answer-input-per-million-tokens", "3",
                    "quarry.cost.answer-output-per-million-tokens", "15");
        }
    }

    FakeChatCompletions chat;
    @Inject
    InMemoryChunkIndex index;
    @Inject
    Embedder embedder;
    @Inject
    InMemoryQueryHistory history;

    @BeforeEach
    void seed() {
        index.clear();
        history.clear();
        Corpus.seed(index, embedder);
    }

    @Test
    void a_claim_whose_quote_is_in_no_passage_is_cut_from_the_answer_and_counted_as_removed() {
        chat.answers(KEPT + " " + INVENTED);

        LambdaEvent.Reply reply = LambdaEvent.from("query-tenant-a.json").send();

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(chat.requests()).as("calls of the chat model; answer: %s", body).singleElement().asString().contains("How long does the warranty cover parts?");
        assertThat(body.path("answerMode").asText()).isEqualTo("llm");
        assertThat(body.path("found").asBoolean()).isTrue();
        assertThat(body.path("answer").asText()).isEqualTo(KEPT);
        assertThat(body.path("removedClaims").asInt()).isEqualTo(1);
        assertThat(body.path("note").asText()).contains("1 claim", "removed");
        assertThat(body.path("citations")).singleElement().satisfies(c -> {
            assertThat(c.path("documentId").asText()).isEqualTo(Corpus.WARRANTY_A);
            assertThat(c.path("page").asInt()).isEqualTo(3);
            assertThat(c.path("quote").asText()).isEqualTo("The warranty covers parts for two years");
        });
    }

    @Test
    void the_answer_costs_the_tokens_the_model_reports_at_the_configured_prices_and_the_history_keeps_it() {
        chat.answers(KEPT);

        LambdaEvent.Reply reply = LambdaEvent.from("query-tenant-a.json").send();

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode cost = reply.json().path("cost");
        assertThat(cost.path("answerInputTokens").asLong()).as("%s", cost).isEqualTo(10);
        assertThat(cost.path("answerOutputTokens").asLong()).isEqualTo(5);
        assertThat(cost.path("usd").asDouble()).isCloseTo((10 * 3 + 5 * 15) / 1e6, within(1e-12));
        assertThat(history.all()).singleElement().satisfies(entry -> {
            assertThat(entry.cost().answerInputTokens()).isEqualTo(10);
            assertThat(entry.cost().answerOutputTokens()).isEqualTo(5);
            assertThat(entry.cost().embeddingTokens()).isEqualTo(cost.path("embeddingTokens").asLong());
            assertThat(entry.cost().usd()).isEqualTo(cost.path("usd").asDouble());
        });
    }

    @Test
    void a_passage_that_gives_orders_is_quoted_as_data_flagged_and_cannot_drop_the_citations_or_reach_another_tenant()
            throws Exception {
        Corpus.seedOrders(index, embedder);
        chat.answers(KEPT);
        LambdaEvent.from("query-tenant-a.json").send();
        String clean = chat.requests().getFirst();
        // a model that obeyed the passage: no citation, the passage's figure
        chat.answers("The warranty covers parts for ninety years.");

        LambdaEvent.Reply reply = LambdaEvent.from("query-tenant-a.json").send();

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.path("found").asBoolean()).as("an uncited answer is withheld: %s", body).isFalse();
        assertThat(body.path("answer").asText()).doesNotContain("ninety");
        assertThat(body.path("citations")).isEmpty();
        assertThat(body.path("hits")).filteredOn(h -> h.path("documentId").asText().equals(Corpus.NOTICE_A)).singleElement()
                .satisfies(h -> assertThat(h.path("flag").asText()).contains("drop the model's instructions"));
        assertThat(body.path("hits")).filteredOn(h -> !h.path("documentId").asText().equals(Corpus.NOTICE_A))
                .allSatisfy(h -> assertThat(h.path("flag").isNull()).isTrue());
        assertThat(body.path("warnings")).singleElement().asString().contains("notice.pdf", "not followed");

        JsonNode sent = JSON.readTree(chat.requests().getFirst());
        JsonNode before = JSON.readTree(clean);
        assertThat(sent.path("messages").get(0)).as("the system prompt").isEqualTo(before.path("messages").get(0));
        assertThat(sent.path("messages")).hasSize(2);
        String user = sent.path("messages").get(1).path("content").asText();
        assertThat(user).contains(Corpus.ORDERS).doesNotContain(Corpus.PARTS_B, "tenant b");
        assertThat(user.indexOf(Corpus.ORDERS)).isBetween(user.lastIndexOf("<passage", user.indexOf(Corpus.ORDERS)),
                user.indexOf("</passage>", user.indexOf(Corpus.ORDERS)));
    }
}
