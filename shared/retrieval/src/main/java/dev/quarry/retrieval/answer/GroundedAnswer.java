package dev.quarry.retrieval.answer;

import dev.quarry.model.Citation;

import java.util.List;

/**
 * A model's answer cut down to the claims that carry a verified citation.
 *
 * @param text      the verified claims in the model's order and layout; empty when none was verified
 * @param claims    every claim the model made, verified or not, in answer order
 * @param citations the verified citations of the kept claims, in answer order, without repeats
 */
public record GroundedAnswer(String text, List<Claim> claims, List<Citation> citations) {

    public GroundedAnswer {
        claims = List.copyOf(claims);
        citations = List.copyOf(citations);
    }

    /** How many claims were left out of {@link #text()} because none of their citations could be verified. */
    public int removedClaims() {
        return (int) claims.stream().filter(c -> !c.verified()).count();
    }
}
