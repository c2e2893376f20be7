package dev.quarry.functions.query.api;

/** A request that cannot be served as sent; becomes a 4xx (or 503) JSON {@link ApiError}. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;

    public ApiException(int status, String code, String field, String message) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, "invalid_request", field, message);
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "not_found", null, what);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}
