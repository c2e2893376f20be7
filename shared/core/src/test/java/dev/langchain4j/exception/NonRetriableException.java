package dev.langchain4j.exception;

/**
 * Test stand-in with the name of langchain4j's class (quarry-core does not depend on langchain4j): the failure
 * classifier recognises model client errors by their class names.
 */
public class NonRetriableException extends RuntimeException {
    public NonRetriableException(String message) {
        super(message);
    }
}
