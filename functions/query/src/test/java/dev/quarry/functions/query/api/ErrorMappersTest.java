package dev.quarry.functions.query.api;

import dev.quarry.ai.answer.AnswerModelException;
import dev.quarry.ai.answer.AnswerModelUnavailableException;
import dev.quarry.core.port.ChunkIndex;
import dev.quarry.core.port.RetryableException;
import dev.quarry.functions.query.service.Refusal;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A chat model that refuses the request (wrong key, no access to the model) is a 502 that says what
 * to fix, not the 503 "retry shortly" of a passing outage. (The generator's side, against fake
 * Bedrock and OpenAI endpoints, is tested in shared/ai; a Quarkus test profile cannot be used here
 * because the tokenizer's native library loads once per JVM.)
 */
class ErrorMappersTest {

    @Test
    void a_rejected_answer_model_is_a_502_that_names_the_settings_to_check() {
        AnswerModelException e = new AnswerModelException("The chat model rejected the request: Incorrect API key provided."
                + " Check quarry.answer.model-id, quarry.answer.endpoint and quarry.answer.api-key.", null);

        Response response = new ErrorMappers().answerModel(e);

        assertThat(response.getStatus()).isEqualTo(502);
        ApiError error = (ApiError) response.getEntity();
        assertThat(error.error()).isEqualTo("answer_model_rejected");
        assertThat(error.message()).contains("Incorrect API key provided").contains("quarry.answer.api-key");
    }

    @Test
    void an_outage_is_a_503_that_invites_a_retry() {
        Response response = new ErrorMappers().unexpected(new RetryableException("OpenSearch answered 503 to POST /_msearch"));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(((ApiError) response.getEntity()).error()).isEqualTo("unavailable");
    }

    @Test
    void a_chat_model_outage_is_a_503_that_says_the_answer_model_is_unavailable() {
        Response response = new ErrorMappers().answerModelUnavailable(new AnswerModelUnavailableException(
                "The chat model failed: Rate limit reached for requests", null));

        assertThat(response.getStatus()).isEqualTo(503);
        ApiError error = (ApiError) response.getEntity();
        assertThat(error.error()).isEqualTo("answer_model_unavailable");
        assertThat(error.message()).contains("answer model is unavailable").contains("Retry")
                .as("no provider text reaches the client").doesNotContain("Rate limit reached");
    }

    @Test
    void a_model_mismatch_is_a_500_that_says_which_models_differ() {
        Response response = new ErrorMappers().modelMismatch(new ChunkIndex.ModelMismatchException(
                "Index quarry-chunks holds vectors of bge-small-en-v1.5-q (384) but this function uses titan (1024)"));

        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(((ApiError) response.getEntity()).error()).isEqualTo("model_mismatch");
        assertThat(((ApiError) response.getEntity()).message()).contains("bge-small-en-v1.5-q", "titan");
    }

    @Test
    void a_defect_is_a_500_not_an_invitation_to_retry() {
        Response response = new ErrorMappers().unexpected(new NullPointerException("hit.section() is null"));

        assertThat(response.getStatus()).isEqualTo(500);
        ApiError error = (ApiError) response.getEntity();
        assertThat(error.error()).isEqualTo("internal_error");
        assertThat(error.message()).as("no exception text reaches the client").doesNotContain("section");
    }

    @Test
    void each_refusal_of_a_service_is_its_4xx_with_a_stable_code_and_the_services_message() {
        ErrorMappers mappers = new ErrorMappers();

        assertThat(mappers.refused(new Refusal.Unauthenticated("No authenticated tenant.")))
                .satisfies(r -> assertRefusal(r, 401, "unauthorized", "No authenticated tenant."));
        assertThat(mappers.refused(new Refusal.InvalidTenant("Not a valid tenant id.")))
                .satisfies(r -> assertRefusal(r, 403, "forbidden", "Not a valid tenant id."));
        assertThat(mappers.refused(new Refusal.NotFound("No document with id 'x'.")))
                .satisfies(r -> assertRefusal(r, 404, "not_found", "No document with id 'x'."));
        assertThat(mappers.refused(new Refusal.NotUploaded("The PDF has not arrived yet.")))
                .satisfies(r -> assertRefusal(r, 409, "not_uploaded", "The PDF has not arrived yet."));
    }

    private static void assertRefusal(Response response, int status, String code, String message) {
        assertThat(response.getStatus()).isEqualTo(status);
        assertThat(response.getMediaType().toString()).startsWith("application/json");
        assertThat((ApiError) response.getEntity()).isEqualTo(new ApiError(code, message, null));
    }
}
