package dev.quarry.ai.answer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.core.port.RetryableException;
import dev.quarry.model.Citation;
import dev.quarry.model.SearchHit;
import dev.quarry.testsupport.FakeHttpEndpoint;
import dev.quarry.testsupport.FakeOpenAi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The OpenAI-compatible answer path ({@code quarry.answer.provider=openai}) end to end through the
 * real langchain4j OpenAI client, as {@link ChatModels#openAi} builds it, against a fake
 * chat-completions endpoint.
 */
class OpenAiChatAnswerGeneratorTest {
    private static final String MODEL = "gpt-4o-mini";
    private static final String LABOUR = Passages.LABOUR;

    private final SearchHit warranty = Passages.WARRANTY;
    private final SearchHit returns = Passages.RETURNS;
    private final List<SearchHit> passages = List.of(warranty, returns);

    private FakeOpenAi openAi;

    @BeforeEach
    void start() throws Exception {
        openAi = new FakeOpenAi();
    }

    @AfterEach
    void stop() {
        openAi.close();
    }

    private ChatAnswerGenerator generator() {
        return new ChatAnswerGenerator(ChatModels.openAi(MODEL, openAi.baseUrl(), "sk-quarry-test", Duration.ofSeconds(10)), 5);
    }

    @Test
    void answers_with_the_verified_citations_and_removes_the_claim_whose_quote_is_not_in_its_passage() {
        String kept = "Labour is covered for six months [1] \"" + LABOUR + "\".";
        openAi.answers(kept + " Parts are covered for two years [1] \"The warranty covers parts for two years\"."
                + " Returns are accepted for 90 days [2] \"returned within 90 days\".");

        Answer answer = generator().answer("What does the warranty cover?", passages);

        assertThat(answer.mode()).isEqualTo("llm");
        assertThat(answer.found()).isTrue();
        assertThat(answer.text()).isEqualTo(kept + " Parts are covered for two years [1] \"The warranty covers parts for two years\".")
                .doesNotContain("90 days");
        assertThat(answer.removedClaims()).isEqualTo(1);
        assertThat(answer.citations()).containsExactly(
                new Citation("0123456789abcdef01234567", "warranty.pdf", 4, LABOUR, "c-warranty"),
                new Citation("0123456789abcdef01234567", "warranty.pdf", 3, "The warranty covers parts for two years", "c-warranty"));
    }

    @Test
    void sends_the_prompt_as_a_chat_completion_for_the_configured_model_with_the_api_key() throws Exception {
        openAi.answers("Labour is covered for six months [1] \"" + LABOUR + "\"");

        generator().answer("How long is labour covered?", passages);

        FakeHttpEndpoint.Received call = openAi.received().getFirst();
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo("/v1/chat/completions");
        assertThat(call.headers().get("Authorization")).containsExactly("Bearer sk-quarry-test");
        JsonNode body = new ObjectMapper().readTree(call.body());
        assertThat(body.path("model").asText()).isEqualTo(MODEL);
        assertThat(body.path("messages")).extracting(m -> m.path("role").asText()).containsExactly("system", "user");
        assertThat(body.path("messages").path(0).path("content").asText()).contains("using only the numbered passages");
        assertThat(body.path("messages").path(1).path("content").asText())
                .contains("<passage n=\"1\" document=\"warranty.pdf\" pages=\"3-4\">\n[1] " + warranty.text())
                .endsWith("Question: How long is labour covered?");
    }

    @Test
    void retries_a_rate_limited_call_and_returns_the_answer_of_the_second_attempt() {
        openAi.rateLimits().answers("Labour is covered for six months [1] \"" + LABOUR + "\"");

        Answer answer = generator().answer("How long is labour covered?", passages);

        assertThat(openAi.received()).hasSize(2);
        assertThat(answer.found()).isTrue();
        assertThat(answer.citations()).extracting(Citation::quote).containsExactly(LABOUR);
    }

    @Test
    void gives_up_after_three_rate_limited_attempts_with_a_retryable_error_that_names_the_model() {
        openAi.rateLimits().rateLimits().rateLimits().answers("never reached [1]");

        assertThatThrownBy(() -> generator().answer("How long is labour covered?", passages))
                .isInstanceOf(AnswerModelUnavailableException.class)
                .isInstanceOf(RetryableException.class)
                .hasMessageContaining("chat model failed")
                .hasMessageContaining("Rate limit reached");
        assertThat(openAi.received()).hasSize(3);
    }

    @Test
    void does_not_retry_a_rejected_api_key_and_says_why_it_failed() {
        openAi.error(401, "invalid_api_key", "Incorrect API key provided").answers("never reached [1]");

        assertThatThrownBy(() -> generator().answer("How long is labour covered?", passages))
                .isInstanceOf(AnswerModelException.class)
                .hasMessageContaining("rejected the request")
                .hasMessageContaining("Incorrect API key provided")
                .hasMessageContaining("quarry.answer.api-key");
        assertThat(openAi.received()).hasSize(1);
    }
}
