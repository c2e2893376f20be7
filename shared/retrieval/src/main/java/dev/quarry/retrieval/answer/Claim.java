package dev.quarry.retrieval.answer;

import dev.quarry.model.Citation;

import java.util.List;

/**
 * One claim of a model's answer, as {@link CitationParser} cuts it: a sentence or list item with
 * the {@code [n]} markers (and quotes) that follow it.
 *
 * @param text      the claim as the model wrote it, markers included, trimmed
 * @param citations its verified citations; empty when it had no marker or none of its quotes held
 */
public record Claim(String text, List<Citation> citations) {

    public Claim {
        citations = List.copyOf(citations);
    }

    /** Whether at least one citation of this claim was found verbatim in its passage. */
    public boolean verified() {
        return !citations.isEmpty();
    }
}
