package dev.quarry.adapters.opensearch;

import dev.quarry.core.port.RetryableException;
import org.opensearch.client.opensearch._types.ErrorCause;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.transport.httpclient5.ResponseException;

import java.io.IOException;

/**
 * Runs a typed OpenSearch request and classifies how it failed, the one place that does so for both transports:
 * throttling (429), 5xx and no answer at all are transient ({@link RetryableException}); any other refusal is an
 * {@link OpenSearchFailure} naming the action (ACCESS_DENIED for 401 and 403).
 *
 * <p>The transports report the same answer differently. The HTTP transport returns 400, 401, 403, 404 and 405 as an
 * {@link OpenSearchException} (or a {@code TransportException} around a {@link ResponseException} when the error body
 * is not OpenSearch's) and throws a {@link ResponseException} for every other status (409, 429, 5xx). The SigV4
 * transport ({@code AwsSdk2Transport}) throws an {@link OpenSearchException} for every error status, including the
 * domain's 403 to a request its signature check or access policy refuses. Both throw an {@link IOException} when
 * there is no answer.
 */
final class OpenSearchCall {
    /** No HTTP answer: the request never reached OpenSearch or its answer never came back. */
    static final int NO_ANSWER = -1;

    @FunctionalInterface
    interface Request<T> {
        T send() throws IOException;
    }

    private OpenSearchCall() {
    }

    /** Sends the request; a failure is thrown classified, its message saying it failed to {@code action}. */
    static <T> T send(String action, Request<T> request) {
        try {
            return request.send();
        } catch (IOException | OpenSearchException e) {
            throw failure(action, e);
        }
    }

    /** The HTTP status of a failed request, or {@link #NO_ANSWER}. */
    static int status(Exception e) {
        if (e instanceof OpenSearchException o) {
            return o.status();
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ResponseException r) {
                return r.status();
            }
        }
        return NO_ANSWER;
    }

    /** OpenSearch's error type ("resource_already_exists_exception"), or "" when it gave none. */
    static String errorType(Exception e) {
        if (e instanceof OpenSearchException o && o.error() != null && o.error().type() != null) {
            return o.error().type();
        }
        return "";
    }

    /** The failure to throw for {@code e}: transient or permanent, with the action in its message. */
    static RuntimeException failure(String action, Exception e) {
        int status = status(e);
        if (status == NO_ANSWER) {
            return new RetryableException("Failed to " + action + ": OpenSearch is not reachable (" + e.getMessage() + ")", e);
        }
        String answer = "Failed to " + action + ": OpenSearch answered " + status + " " + detail(e);
        if (status == 429 || status >= 500) {
            return new RetryableException(answer, e);
        }
        return new OpenSearchFailure(answer, status, e);
    }

    private static String detail(Exception e) {
        if (e instanceof OpenSearchException o && o.error() != null) {
            ErrorCause error = o.error();
            return OpenSearchJsonMapper.abbreviate(error.type() + (error.reason() == null ? "" : ": " + error.reason()));
        }
        return OpenSearchJsonMapper.abbreviate(String.valueOf(e.getMessage()));
    }
}
