package dev.quarry.retrieval.answer;

import dev.quarry.model.Citation;

import java.util.List;

/**
 * An answer assembled from sentences of the retrieved passages.
 *
 * @param answer    the chosen sentences, each followed by its marker {@code [n]}, where
 *                  {@code n} is the 1-based index into {@code citations}; or
 *                  {@link #NOT_FOUND} when nothing in the passages relates to the question
 * @param citations one verified citation per sentence of the answer, in answer order
 * @param found     whether the passages contained anything related to the question
 */
public record ExtractiveAnswer(String answer, List<Citation> citations, boolean found) {

    public static final String NOT_FOUND = "I could not find this in your documents.";

    public ExtractiveAnswer {
        citations = List.copyOf(citations);
    }

    public static ExtractiveAnswer notFound() {
        return new ExtractiveAnswer(NOT_FOUND, List.of(), false);
    }
}
