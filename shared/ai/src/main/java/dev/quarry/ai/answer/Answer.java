package dev.quarry.ai.answer;

import dev.quarry.model.Citation;

import java.util.List;

/** An answer and the verified citations behind it; {@code found} is false when the passages do not answer. */
public record Answer(String text, String mode, List<Citation> citations, boolean found, String note) {
}
