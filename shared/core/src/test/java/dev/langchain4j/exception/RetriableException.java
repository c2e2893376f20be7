package dev.langchain4j.exception;

/** Test stand-in with the name of langchain4j's class. */
public class RetriableException extends RuntimeException {
    public RetriableException(String message) {
        super(message);
    }
}
