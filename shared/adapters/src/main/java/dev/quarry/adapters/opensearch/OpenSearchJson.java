package dev.quarry.adapters.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.core.port.PermanentException;
import dev.quarry.core.port.RetryableException;
import dev.quarry.model.ErrorCode;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Raw JSON calls through opensearch-java's generic client, for requests the typed API models
 * awkwardly (k-NN with filters inside _msearch, index creation from definition files).
 */
final class OpenSearchJson {
    static final ObjectMapper JSON = new ObjectMapper();

    private final OpenSearchClient client;

    OpenSearchJson(OpenSearchClient client) {
        this.client = client;
    }

    record Result(int status, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    Result call(String method, String endpoint, Object body) {
        return call(method, endpoint, body == null ? null : serialize(body), "application/json");
    }

    Result ndjson(String method, String endpoint, String lines) {
        return call(method, endpoint, lines, "application/x-ndjson");
    }

    private Result call(String method, String endpoint, String body, String contentType) {
        var builder = Requests.builder().method(method).endpoint(endpoint);
        if (body != null) {
            builder.body(Body.from(body.getBytes(StandardCharsets.UTF_8), contentType));
        }
        try (Response r = client.generic().execute(builder.build())) {
            JsonNode json = r.getBody().map(b -> parse(b.bodyAsString())).orElse(JSON.nullNode());
            if (r.getStatus() == 429 || r.getStatus() >= 500) {
                throw new RetryableException("OpenSearch answered " + r.getStatus() + " to " + method + " " + endpoint + ": "
                        + abbreviate(json.toString()));
            }
            return new Result(r.getStatus(), json);
        } catch (org.opensearch.client.transport.httpclient5.ResponseException e) {
            // The HTTP transport throws for some 4xx answers (409 conflicts); they are answers, not outages.
            if (e.status() == 429 || e.status() >= 500) {
                throw new RetryableException("OpenSearch answered " + e.status() + " to " + method + " " + endpoint, e);
            }
            return new Result(e.status(), JSON.getNodeFactory().textNode(e.getMessage()));
        } catch (OpenSearchException e) {
            // The SigV4 transport (AwsSdk2Transport) throws for answers the HTTP transport returns, such as the
            // domain's 403 to a request its signature check or access policy refuses.
            if (e.status() == 429 || e.status() >= 500) {
                throw new RetryableException("OpenSearch answered " + e.status() + " to " + method + " " + endpoint, e);
            }
            return new Result(e.status(), JSON.getNodeFactory().textNode(e.getMessage()));
        } catch (IOException e) {
            throw new RetryableException("OpenSearch is not reachable for " + method + " " + endpoint + ": " + e.getMessage(), e);
        }
    }

    Result require(String method, String endpoint, Object body, String action) {
        Result r = call(method, endpoint, body);
        if (!r.ok()) {
            throw new OpenSearchFailure("Failed to " + action + ": OpenSearch answered " + r.status() + " " + abbreviate(r.body().toString()),
                    r.status());
        }
        return r;
    }

    static String serialize(Object body) {
        if (body instanceof String s) {
            return s;
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot serialize request body", e);
        }
    }

    private static JsonNode parse(String s) {
        try {
            return s.isBlank() ? JSON.nullNode() : JSON.readTree(s);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(s);
        }
    }

    static String abbreviate(String s) {
        return s.length() > 500 ? s.substring(0, 500) + "..." : s;
    }

    /**
     * A non-retryable OpenSearch failure, with the action that failed in its message: permanent (see
     * {@link dev.quarry.core.port.Failures}), ACCESS_DENIED when OpenSearch refused the caller (401, 403).
     */
    public static final class OpenSearchFailure extends PermanentException {
        OpenSearchFailure(String message) {
            super(ErrorCode.INTERNAL, message);
        }

        OpenSearchFailure(String message, int status) {
            super(status == 401 || status == 403 ? ErrorCode.ACCESS_DENIED : ErrorCode.INTERNAL, status == 401 || status == 403
                    ? message + " (access denied: check the function role's OpenSearch permissions and the domain's access policy)"
                    : message);
        }
    }
}
