package dev.quarry.ai.cost;

import dev.quarry.config.AnswerProvider;
import dev.quarry.config.EmbeddingProvider;
import dev.quarry.core.port.ModelUsage;
import dev.quarry.model.ModelCost;

import java.util.Map;
import java.util.Optional;

/**
 * What the configured models cost per token, and so what a piece of work cost. The in-process embedding model and
 * the extractive answerer cost nothing. A Bedrock model is priced from the on-demand list prices below (USD per
 * million tokens, as AWS published them for us-east-1 in 2025) unless quarry.cost.* sets its price, which a deployment in another
 * region, on a contract or with another model should do; a model with neither (an OpenAI-compatible endpoint,
 * an unlisted Bedrock model) has no price, and a cost it took part in is unknown (null), never a guess.
 */
public final class ModelPrices {
    /** USD per million tokens read and written. */
    public record Price(double inputPerMillion, double outputPerMillion) {
        public static final Price FREE = new Price(0, 0);
    }

    /** Bedrock on-demand prices by model id; a cross-region inference profile ("us.", "eu.", ...) costs what its model costs. */
    static final Map<String, Price> BEDROCK = Map.of(
            "amazon.titan-embed-text-v2:0", new Price(0.02, 0),
            "anthropic.claude-3-haiku-20240307-v1:0", new Price(0.25, 1.25),
            "anthropic.claude-3-5-haiku-20241022-v1:0", new Price(0.80, 4.00),
            "anthropic.claude-3-5-sonnet-20240620-v1:0", new Price(3.00, 15.00),
            "amazon.nova-micro-v1:0", new Price(0.035, 0.14),
            "amazon.nova-lite-v1:0", new Price(0.06, 0.24),
            "amazon.nova-pro-v1:0", new Price(0.80, 3.20));

    private final Price embedding;
    private final Price answer;

    /** @param embedding null when the embedding model has no known price; likewise {@code answer} */
    public ModelPrices(Price embedding, Price answer) {
        this.embedding = embedding;
        this.answer = answer;
    }

    /**
     * The prices of the configured models: the set ones first, then the list for Bedrock models, nothing for local ones.
     *
     * @param embeddingProvider quarry.embedding.provider (onnx, bedrock)
     * @param answerProvider    quarry.answer.provider (extractive, bedrock, openai)
     */
    public static ModelPrices of(EmbeddingProvider embeddingProvider, String embeddingModel, Optional<Double> embeddingPerMillion,
            AnswerProvider answerProvider, String answerModel, Optional<Double> answerInputPerMillion,
            Optional<Double> answerOutputPerMillion) {
        Price embedding = embeddingPerMillion.map(p -> new Price(p, 0))
                .orElseGet(() -> switch (embeddingProvider) {
                    case ONNX -> Price.FREE;
                    case BEDROCK -> listed(embeddingModel);
                });
        Price answer;
        if (!answerProvider.usesModel()) {
            answer = Price.FREE; // no answer model is called
        } else if (answerInputPerMillion.isPresent() && answerOutputPerMillion.isPresent()) {
            answer = new Price(answerInputPerMillion.get(), answerOutputPerMillion.get());
        } else {
            Price known = answerProvider == AnswerProvider.BEDROCK ? listed(answerModel) : null;
            answer = known == null ? null : new Price(answerInputPerMillion.orElse(known.inputPerMillion()),
                    answerOutputPerMillion.orElse(known.outputPerMillion()));
        }
        return new ModelPrices(embedding, answer);
    }

    static Price listed(String modelId) {
        Price price = BEDROCK.get(modelId);
        if (price == null && modelId.matches("[a-z]{2,6}\\.[a-z0-9-]+\\..+")) {
            price = BEDROCK.get(modelId.substring(modelId.indexOf('.') + 1)); // us.anthropic... -> anthropic...
        }
        return price;
    }

    /** The cost of the tokens at these prices; unknown (null usd) when a model without a price was used. */
    public ModelCost cost(ModelUsage.Tokens tokens) {
        boolean embeddingUnknown = embedding == null && tokens.embedding() > 0;
        boolean answerUnknown = answer == null && tokens.answerInput() + tokens.answerOutput() > 0;
        Double usd = null;
        if (!embeddingUnknown && !answerUnknown) {
            double total = 0;
            if (embedding != null) {
                total += tokens.embedding() * embedding.inputPerMillion() / 1_000_000;
            }
            if (answer != null) {
                total += tokens.answerInput() * answer.inputPerMillion() / 1_000_000
                        + tokens.answerOutput() * answer.outputPerMillion() / 1_000_000;
            }
            usd = total;
        }
        return new ModelCost(tokens.embedding(), tokens.answerInput(), tokens.answerOutput(), usd);
    }
}
