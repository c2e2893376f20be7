package dev.langchain4j.exception;

/** Test stand-in with the name and superclass of langchain4j's class. */
public class AuthenticationException extends NonRetriableException {
    public AuthenticationException(String message) {
        super(message);
    }
}
