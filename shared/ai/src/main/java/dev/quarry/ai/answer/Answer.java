package dev.quarry.ai.answer;

import dev.quarry.model.Citation;

import java.util.List;

/**
 * An answer and the verified citations behind it.
 *
 * @param found         false when the passages do not answer (or nothing in the answer could be verified)
 * @param note          how the answer was made or cut, for the user; null when there is nothing to say
 * @param removedClaims claims of a model's answer left out because none of their citations was found
 *                      verbatim in the cited passage; 0 for answers that only quote
 */
public record Answer(String text, String mode, List<Citation> citations, boolean found, String note, int removedClaims) {

    public Answer(String text, String mode, List<Citation> citations, boolean found, String note) {
        this(text, mode, citations, found, note, 0);
    }
}
