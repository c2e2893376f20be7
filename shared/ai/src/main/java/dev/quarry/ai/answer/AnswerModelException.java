package dev.quarry.ai.answer;

/**
 * The chat model refused the request for a reason a retry cannot fix (a wrong API key or model id,
 * no access to the model, a request it rejects): an operator must change the configuration.
 */
public final class AnswerModelException extends RuntimeException {
    public AnswerModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
