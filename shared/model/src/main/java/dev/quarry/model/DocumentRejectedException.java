package dev.quarry.model;

/**
 * The document itself is unusable: retrying will not help, so it ends as FAILED with this code
 * and a reason written for the person who uploaded it.
 */
public class DocumentRejectedException extends RuntimeException {
    private final ErrorCode code;

    public DocumentRejectedException(ErrorCode code, String reason) {
        super(reason);
        this.code = code;
    }

    public DocumentRejectedException(ErrorCode code, String reason, Throwable cause) {
        super(reason, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public String reason() {
        return getMessage();
    }
}
