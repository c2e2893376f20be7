package dev.quarry.core.port;

import dev.quarry.model.ErrorCode;

import java.util.Objects;

/**
 * A failure that another attempt cannot fix (access denied, a corrupt work file, a model that refuses the
 * request). The message is the reason a person reads on the document: what failed and what to do.
 */
public class PermanentException extends RuntimeException {
    private final ErrorCode code;

    public PermanentException(ErrorCode code, String reason, Throwable cause) {
        super(reason, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public PermanentException(ErrorCode code, String reason) {
        this(code, reason, null);
    }

    public ErrorCode code() {
        return code;
    }
}
