package dev.quarry.core.port;

/** A transient failure (throttling, a server not reachable): the message is retried. */
public class RetryableException extends RuntimeException {
    public RetryableException(String message, Throwable cause) {
        super(message, cause);
    }

    public RetryableException(String message) {
        super(message);
    }
}
