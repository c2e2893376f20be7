package dev.quarry.ai.cost;

import dev.quarry.config.AnswerProvider;
import dev.quarry.config.EmbeddingProvider;
import dev.quarry.core.port.ModelUsage;
import dev.quarry.model.ModelCost;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ModelPricesTest {
    private static final ModelUsage.Tokens QUESTION = new ModelUsage.Tokens(20, 2_000, 300);

    @Test
    void local_models_cost_nothing_whatever_they_used() {
        ModelPrices local = ModelPrices.of(EmbeddingProvider.ONNX, "bge-small-en-v1.5-q", Optional.empty(), AnswerProvider.EXTRACTIVE,
                "anthropic.claude-3-haiku-20240307-v1:0", Optional.empty(), Optional.empty());

        assertThat(local.cost(QUESTION)).isEqualTo(new ModelCost(20, 2_000, 300, 0.0));
    }

    @Test
    void bedrock_models_cost_their_listed_price_per_million_tokens() {
        ModelPrices bedrock = ModelPrices.of(EmbeddingProvider.BEDROCK, "amazon.titan-embed-text-v2:0", Optional.empty(), AnswerProvider.BEDROCK,
                "anthropic.claude-3-haiku-20240307-v1:0", Optional.empty(), Optional.empty());

        // 20 x 0.02 + 2,000 x 0.25 + 300 x 1.25, per million
        assertThat(bedrock.cost(QUESTION).usd()).isCloseTo((20 * 0.02 + 2_000 * 0.25 + 300 * 1.25) / 1e6, within(1e-12));
    }

    @Test
    void a_cross_region_inference_profile_costs_what_its_model_costs() {
        assertThat(ModelPrices.listed("us.anthropic.claude-3-5-haiku-20241022-v1:0"))
                .isEqualTo(ModelPrices.listed("anthropic.claude-3-5-haiku-20241022-v1:0")).isNotNull();
        assertThat(ModelPrices.listed("anthropic.claude-unreleased-v9:0")).isNull();
    }

    @Test
    void set_prices_win_over_the_list() {
        ModelPrices contract = ModelPrices.of(EmbeddingProvider.BEDROCK, "amazon.titan-embed-text-v2:0", Optional.of(0.01), AnswerProvider.BEDROCK,
                "anthropic.claude-3-haiku-20240307-v1:0", Optional.of(0.20), Optional.empty());

        assertThat(contract.cost(QUESTION).usd()).isCloseTo((20 * 0.01 + 2_000 * 0.20 + 300 * 1.25) / 1e6, within(1e-12));
    }

    @Test
    void a_model_without_a_price_makes_the_cost_unknown_only_when_it_was_used() {
        ModelPrices openAi = ModelPrices.of(EmbeddingProvider.ONNX, "bge-small-en-v1.5-q", Optional.empty(), AnswerProvider.OPENAI, "gpt-4o-mini",
                Optional.empty(), Optional.empty());

        assertThat(openAi.cost(QUESTION)).isEqualTo(new ModelCost(20, 2_000, 300, null));
        assertThat(openAi.cost(new ModelUsage.Tokens(20, 0, 0)).usd()).as("a question answered without the model").isEqualTo(0.0);
    }
}
