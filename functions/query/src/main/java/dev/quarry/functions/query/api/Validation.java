package dev.quarry.functions.query.api;

import java.util.List;
import java.util.regex.Pattern;

/** Request checks with messages that say what to send instead. */
final class Validation {
    static final int MAX_TEXT = 2000;
    static final Pattern DOCUMENT_ID = Pattern.compile("[0-9a-f]{24}");

    private Validation() {
    }

    static String text(String value, String field) {
        if (value == null) {
            throw ApiException.badRequest(field, "'" + field + "' is required.");
        }
        String trimmed = value.strip();
        if (trimmed.isEmpty()) {
            throw ApiException.badRequest(field, "'" + field + "' must not be empty.");
        }
        if (trimmed.length() > MAX_TEXT) {
            throw ApiException.badRequest(field, "'" + field + "' is " + trimmed.length() + " characters; send at most " + MAX_TEXT + ".");
        }
        return trimmed;
    }

    static int topK(Integer value, int fallback, int max) {
        if (value == null) {
            return fallback;
        }
        if (value < 1 || value > max) {
            throw ApiException.badRequest("topK", "'topK' must be between 1 and " + max + "; got " + value + ".");
        }
        return value;
    }

    /**
     * A page size from the query string. Taken as text: JAX-RS answers a failed conversion of an
     * {@code Integer} query parameter with 404, which tells a client nothing about what to fix.
     */
    static int limit(String value, int fallback, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        int limit;
        try {
            limit = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("limit", "'limit' must be a whole number between 1 and " + max + ".");
        }
        if (limit < 1 || limit > max) {
            throw ApiException.badRequest("limit", "'limit' must be between 1 and " + max + "; got " + limit + ".");
        }
        return limit;
    }

    static List<String> documentIds(Dtos.Filters filters) {
        if (filters == null || filters.documentIds() == null) {
            return List.of();
        }
        List<String> ids = filters.documentIds();
        if (ids.size() > 100) {
            throw ApiException.badRequest("filters.documentIds", "Filter on at most 100 documents; got " + ids.size() + ".");
        }
        for (String id : ids) {
            if (id == null || !DOCUMENT_ID.matcher(id).matches()) {
                throw ApiException.badRequest("filters.documentIds", "'" + id + "' is not a document id (24 hex characters, as returned by POST /v1/documents).");
            }
        }
        return ids;
    }

    static String documentId(String id) {
        if (id == null || !DOCUMENT_ID.matcher(id).matches()) {
            throw ApiException.notFound("No document with id '" + id + "'.");
        }
        return id;
    }
}
