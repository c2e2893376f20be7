package dev.quarry.model;

/**
 * The estimated cost of the model calls behind a result: the tokens the models used and what they cost at the
 * configured prices (quarry.cost.*). A local model costs nothing; {@code usd} is null when a model that was used
 * has no known price.
 *
 * @param embeddingTokens    input tokens of the embedding model
 * @param answerInputTokens  input tokens of the answer model (prompt, passages, earlier turns)
 * @param answerOutputTokens output tokens of the answer model
 * @param usd                estimated cost in US dollars
 */
public record ModelCost(long embeddingTokens, long answerInputTokens, long answerOutputTokens, Double usd) {
}
