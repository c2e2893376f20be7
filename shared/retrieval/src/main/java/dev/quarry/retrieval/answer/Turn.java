package dev.quarry.retrieval.answer;

/**
 * An earlier question and answer of the same conversation. {@code searchedFor} is what the question
 * was resolved to for retrieval (see {@link FollowUps}); it equals {@code question} for a question that
 * stood on its own.
 */
public record Turn(String question, String searchedFor, String answer) {
}
