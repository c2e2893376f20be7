package dev.langchain4j.exception;

/** Test stand-in with the name and superclass of langchain4j's class. */
public class RateLimitException extends RetriableException {
    public RateLimitException(String message) {
        super(message);
    }
}
