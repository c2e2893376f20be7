package dev.quarry.functions.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.ai.BertTokenCounter;
import dev.quarry.core.port.Embedder;
import dev.quarry.testsupport.InMemoryChunkIndex;
import dev.quarry.testsupport.InMemoryQueryHistory;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.quarry.functions.query.Corpus.TENANT_B;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class QueryResourceTest {

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
    void answers_extractively_and_every_citation_quotes_the_text_of_a_returned_hit() {
        LambdaEvent.Reply reply = LambdaEvent.from("query-tenant-a.json").send();

        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.path("answerMode").asText()).isEqualTo("extractive");
        assertThat(body.path("found").asBoolean()).isTrue();
        assertThat(body.path("note").asText()).isNotBlank();
        assertThat(body.path("removedClaims").isInt()).as("removedClaims is reported").isTrue();
        assertThat(body.path("removedClaims").asInt()).as("quotes are never cut").isZero();
        assertThat(body.path("answer").asText()).contains(Corpus.PARTS_A);
        List<JsonNode> hits = new ArrayList<>();
        body.path("hits").forEach(hits::add);
        assertThat(hits).isNotEmpty().allSatisfy(h -> assertThat(h.path("documentId").asText()).isNotEqualTo(Corpus.WARRANTY_B));
        assertThat(body.path("citations")).isNotEmpty().allSatisfy(c -> assertThat(hits)
                .as("a returned hit of %s containing \"%s\"", c.path("documentId").asText(), c.path("quote").asText())
                .anySatisfy(h -> {
                    assertThat(h.path("documentId").asText()).isEqualTo(c.path("documentId").asText());
                    assertThat(h.path("text").asText()).contains(c.path("quote").asText());
                }));
        JsonNode first = body.path("citations").get(0);
        assertThat(first.path("quote").asText()).isEqualTo(Corpus.PARTS_A);
        assertThat(first.path("page").asInt()).isEqualTo(3);
        assertThat(first.path("name").asText()).isEqualTo("warranty.pdf");
    }

    @Test
    void records_the_question_in_the_callers_history_and_lists_only_that_tenants_questions() {
        LambdaEvent.from("query-tenant-a.json").send();
        LambdaEvent.from("query-tenant-a.json").tenant(TENANT_B)
                .body("{\"question\":\"Who handles warranty claims?\"}").send();

        LambdaEvent.Reply listed = LambdaEvent.from("list-queries-tenant-a.json").send();

        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().path("queries")).singleElement().satisfies(q -> {
            assertThat(q.path("tenant").asText()).isEqualTo(Corpus.TENANT_A);
            assertThat(q.path("question").asText()).isEqualTo("How long does the warranty cover parts?");
            assertThat(q.path("answerMode").asText()).isEqualTo("extractive");
        });
        assertThat(history.all()).hasSize(2);
    }

    @Test
    void an_elliptical_follow_up_is_searched_with_the_previous_question_of_its_conversation_only() {
        LambdaEvent.from("query-tenant-a.json")
                .body("{\"question\":\"How long does the warranty cover parts?\",\"conversationId\":\"conv-1\"}").send();
        LambdaEvent.from("query-tenant-a.json")
                .body("{\"question\":\"Which items can be returned?\",\"conversationId\":\"conv-2\"}").send();

        LambdaEvent.Reply reply = LambdaEvent.from("query-tenant-a.json")
                .body("{\"question\":\"and labour?\",\"conversationId\":\"conv-1\"}").send();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("citations")).extracting(c -> c.path("quote").asText())
                .contains("Labour is covered for six months after the repair.");
        assertThat(history.all())
                .filteredOn(e -> e.question().equals("and labour?")).singleElement()
                .satisfies(e -> assertThat(e.searchedFor()).isEqualTo("How long does the warranty cover parts? and labour?"));
    }

    @Test
    void a_question_answered_by_local_models_reports_the_tokens_they_read_at_no_cost() {
        String question = "How long does the warranty cover parts?";

        LambdaEvent.Reply reply = LambdaEvent.from("query-tenant-a.json").send();

        JsonNode cost = reply.json().path("cost");
        assertThat(cost.path("embeddingTokens").asLong()).as("%s", cost)
                .isGreaterThanOrEqualTo(new BertTokenCounter().count(question));
        assertThat(cost.path("answerInputTokens").asLong()).isZero();
        assertThat(cost.path("answerOutputTokens").asLong()).isZero();
        assertThat(cost.path("usd").isNumber()).isTrue();
        assertThat(cost.path("usd").asDouble()).isZero();
    }

    @Test
    void the_history_lists_what_was_answered_with_its_citations_in_the_shape_the_console_reads() {
        LambdaEvent.Reply answered = LambdaEvent.from("query-tenant-a.json").send();

        JsonNode q = LambdaEvent.from("list-queries-tenant-a.json").send().json().path("queries").get(0);

        assertThat(q.path("queryId").asText()).isEqualTo(answered.json().path("queryId").asText());
        assertThat(q.path("question").asText()).isEqualTo("How long does the warranty cover parts?");
        assertThat(q.path("searchedFor").asText()).isEqualTo("How long does the warranty cover parts?");
        assertThat(q.path("answer").asText()).isEqualTo(answered.json().path("answer").asText());
        assertThat(q.path("citations")).isEqualTo(answered.json().path("citations"));
        assertThat(q.path("cost")).isEqualTo(answered.json().path("cost"));
        assertThat(q.path("tookMillis").isIntegralNumber()).isTrue();
        assertThat(q.has("conversationId")).isTrue();
        assertThat(java.time.Instant.parse(q.path("createdAt").asText())).isBeforeOrEqualTo(java.time.Instant.now());
    }

    @Test
    void a_question_no_passage_is_about_is_not_found_and_cites_nothing() {
        LambdaEvent.Reply reply = LambdaEvent.from("query-tenant-a.json")
                .body("{\"question\":\"How do I bake sourdough bread at home?\"}").send();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("found").asBoolean()).isFalse();
        assertThat(reply.json().path("citations")).isEmpty();
        assertThat(reply.json().path("note").asText()).contains("close enough");
        assertThat(reply.json().path("hits")).as("the hits are still shown").isNotEmpty();
    }

    @Test
    void a_conversation_of_another_tenant_is_not_read() {
        LambdaEvent.from("query-tenant-a.json").tenant(TENANT_B)
                .body("{\"question\":\"Who handles warranty claims?\",\"conversationId\":\"shared-id\"}").send();

        LambdaEvent.from("query-tenant-a.json").body("{\"question\":\"and labour?\",\"conversationId\":\"shared-id\"}").send();

        assertThat(history.all())
                .filteredOn(e -> e.question().equals("and labour?")).singleElement()
                .satisfies(e -> assertThat(e.searchedFor()).isEqualTo("and labour?"));
    }

    @Test
    void rejects_a_history_limit_out_of_range_or_not_a_number_naming_the_parameter() {
        assertBadRequest(LambdaEvent.from("list-queries-tenant-a.json").query("limit=ten").send(), "limit");
        assertBadRequest(LambdaEvent.from("list-queries-tenant-a.json").query("limit=0").send(), "limit");
        assertBadRequest(LambdaEvent.from("list-queries-tenant-a.json").query("limit=101").send(), "limit");
    }

    @Test
    void rejects_a_body_without_a_question_naming_the_field() {
        assertBadRequest(LambdaEvent.from("query-tenant-a.json").body("{\"topK\":5}").send(), "question");
    }

    @Test
    void rejects_an_empty_question_naming_the_field() {
        assertBadRequest(LambdaEvent.from("query-tenant-a.json").body("{\"question\":\"   \"}").send(), "question");
    }

    @Test
    void rejects_a_question_over_2000_characters_naming_the_field() {
        String question = "warranty ".repeat(223);
        assertThat(question.strip()).hasSizeGreaterThan(2000);

        LambdaEvent.Reply reply = LambdaEvent.from("query-tenant-a.json").body("{\"question\":\"" + question + "\"}").send();

        assertBadRequest(reply, "question");
        assertThat(reply.json().path("message").asText()).contains("2000");
    }

    @Test
    void accepts_a_question_of_exactly_2000_characters() {
        String question = "w".repeat(2000);

        assertThat(LambdaEvent.from("query-tenant-a.json").body("{\"question\":\"" + question + "\"}").send().status()).isEqualTo(200);
    }

    @Test
    void rejects_top_k_0_and_51_naming_the_field() {
        assertBadRequest(LambdaEvent.from("query-tenant-a.json").body("{\"question\":\"warranty\",\"topK\":0}").send(), "topK");
        assertBadRequest(LambdaEvent.from("query-tenant-a.json").body("{\"question\":\"warranty\",\"topK\":51}").send(), "topK");
    }

    @Test
    void rejects_a_document_filter_with_an_id_that_is_not_a_document_id() {
        LambdaEvent.Reply reply = LambdaEvent.from("query-tenant-a.json")
                .body("{\"question\":\"warranty\",\"filters\":{\"documentIds\":[\"../tenant-b/secret\"]}}").send();

        assertBadRequest(reply, "filters.documentIds");
    }

    @Test
    void rejects_a_malformed_json_body_with_400_json() {
        LambdaEvent.Reply reply = LambdaEvent.from("query-tenant-a.json").body("{\"question\": \"warranty\"").send();

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("error").asText()).isEqualTo("malformed_json");
    }

    @Test
    void answers_401_json_before_looking_at_the_question_when_there_is_no_tenant_claim() {
        LambdaEvent.Reply reply = LambdaEvent.from("query-tenant-a.json").withoutTenantClaim().send();

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().path("error").asText()).isEqualTo("unauthorized");
        assertThat(index.queries()).isEmpty();
    }

    static void assertBadRequest(LambdaEvent.Reply reply, String field) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(reply.json().path("error").asText()).isEqualTo("invalid_request");
        assertThat(reply.json().path("field").asText()).isEqualTo(field);
        assertThat(reply.json().path("message").asText()).isNotBlank();
    }

    @Test
    void an_extractive_answer_never_quotes_a_passage_that_gives_orders_and_the_response_flags_it() {
        Corpus.seedOrders(index, embedder);

        LambdaEvent.Reply reply = LambdaEvent.from("query-tenant-a.json").send();

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.path("found").asBoolean()).as("%s", body).isTrue();
        assertThat(body.path("answer").asText()).doesNotContainIgnoringCase("ignore").doesNotContain("ninety");
        assertThat(body.path("citations")).isNotEmpty().allSatisfy(c -> assertThat(c.path("quote").asText()).doesNotContain("ninety"));
        assertThat(body.path("hits")).anySatisfy(h -> {
            assertThat(h.path("documentId").asText()).isEqualTo(Corpus.NOTICE_A);
            assertThat(h.path("flag").asText()).contains("drop the model's instructions");
        });
        assertThat(body.path("warnings")).singleElement().asString().contains("notice.pdf", "not followed");
        assertThat(body.path("hits")).noneSatisfy(h -> assertThat(h.path("documentId").asText()).isEqualTo(Corpus.WARRANTY_B));
    }
}
