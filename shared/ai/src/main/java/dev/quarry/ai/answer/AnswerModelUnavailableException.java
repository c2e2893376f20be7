package dev.quarry.ai.answer;

import dev.quarry.core.port.RetryableException;

/**
 * The chat model did not answer after the client's own retries (throttled, 5xx, timed out): an outage that a
 * later attempt may get past, told apart from the other outages so the caller can say which service is down.
 */
public final class AnswerModelUnavailableException extends RetryableException {
    public AnswerModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
