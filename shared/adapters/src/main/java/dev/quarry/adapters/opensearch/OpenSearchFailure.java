package dev.quarry.adapters.opensearch;

import dev.quarry.core.port.PermanentException;
import dev.quarry.model.ErrorCode;

/**
 * A non-retryable OpenSearch failure, with the action that failed in its message: permanent (see
 * {@link dev.quarry.core.port.Failures}), ACCESS_DENIED when OpenSearch refused the caller (401, 403).
 */
public final class OpenSearchFailure extends PermanentException {
    OpenSearchFailure(String message) {
        super(ErrorCode.INTERNAL, message);
    }

    OpenSearchFailure(String message, int status) {
        this(message, status, null);
    }

    OpenSearchFailure(String message, int status, Throwable cause) {
        super(status == 401 || status == 403 ? ErrorCode.ACCESS_DENIED : ErrorCode.INTERNAL, status == 401 || status == 403
                ? message + " (access denied: check the function role's OpenSearch permissions and the domain's access policy)"
                : message, cause);
    }
}
