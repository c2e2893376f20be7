package dev.quarry.ai;

import java.util.Map;
import java.util.Optional;

/**
 * Cosine thresholds of an embedding model: below {@code passage}, even the closest passage is not about
 * the question (the answer is "not found" and no model is called); below {@code sentence}, a sentence is
 * never quoted by the extractive answerer. Cosines are not comparable between models, so a threshold
 * holds only for the model it was measured on; a model without a measurement gets 0 (no check) rather
 * than another model's number, which could turn every answer into "not found".
 */
public record SimilarityThresholds(double sentence, double passage) {
    /** Measured here: unrelated questions score 0.45-0.59 against business filings, related ones 0.70 and more. */
    static final Map<String, SimilarityThresholds> MEASURED = Map.of(
            "bge-small-en-v1.5-q", new SimilarityThresholds(0.45, 0.62));
    static final SimilarityThresholds NONE = new SimilarityThresholds(0, 0);

    /** The configured values where given, else the model's measured ones, else no check. */
    public static SimilarityThresholds of(String modelId, Optional<Double> sentence, Optional<Double> passage) {
        SimilarityThresholds measured = MEASURED.getOrDefault(modelId, NONE);
        return new SimilarityThresholds(sentence.orElse(measured.sentence()), passage.orElse(measured.passage()));
    }
}
