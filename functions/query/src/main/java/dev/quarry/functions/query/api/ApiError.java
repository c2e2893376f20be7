package dev.quarry.functions.query.api;

/** Every error body: a stable code, a message that says what to fix, and the field at fault if any. */
public record ApiError(String error, String message, String field) {
}
