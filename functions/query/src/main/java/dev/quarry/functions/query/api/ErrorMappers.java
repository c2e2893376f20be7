package dev.quarry.functions.query.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.quarry.ai.answer.AnswerModelException;
import dev.quarry.ai.answer.AnswerModelUnavailableException;
import dev.quarry.core.port.ChunkIndex;
import dev.quarry.core.port.Failures;
import dev.quarry.functions.query.service.Refusal;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.stream.Collectors;

/** Turns every failure into a JSON error; what a client sends never yields a 5xx. */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return json(e.status(), new ApiError(e.code(), e.getMessage(), e.field()));
    }

    /** What the services refuse, each kind with its status and stable code; the message says what to do. */
    @ServerExceptionMapper
    public Response refused(Refusal e) {
        return switch (e) {
            case Refusal.Unauthenticated u -> json(401, new ApiError("unauthorized", u.getMessage(), null));
            case Refusal.InvalidTenant t -> json(403, new ApiError("forbidden", t.getMessage(), null));
            case Refusal.NotFound n -> json(404, new ApiError("not_found", n.getMessage(), null));
            case Refusal.NotUploaded n -> json(409, new ApiError("not_uploaded", n.getMessage(), null));
        };
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return json(400, new ApiError("malformed_json", "The body is not valid JSON: " + e.getOriginalMessage(), null));
    }

    /**
     * Valid JSON of the wrong shape. Declared for this exact type because quarkus-rest-jackson maps it
     * itself (a bare 400 without a body), and the mapper for the closest type wins over the one above.
     * The message names JSON types, not the Java types Jackson reports.
     */
    @ServerExceptionMapper
    public Response wrongShape(MismatchedInputException e) {
        String field = e.getPath().isEmpty() ? null : e.getPath().stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining()).substring(1);
        String message = field == null
                ? "The body must be a JSON object; see /q/openapi for its fields."
                : "Field '" + field + "' must be " + jsonType(e.getTargetType()) + ".";
        return json(400, new ApiError("malformed_json", message, field));
    }

    private static String jsonType(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof JsonProcessingException json) {
                return badJson(json); // quarkus-rest wraps body parse errors in a plain 400
            }
        }
        int status = e.getResponse().getStatus();
        String code = switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 415 -> "unsupported_media_type";
            case 401 -> "unauthorized";
            default -> "invalid_request";
        };
        String message = switch (status) {
            case 404 -> "No such resource; see /q/openapi for the API.";
            case 405 -> "This method is not allowed here; see /q/openapi for the API.";
            case 415 -> "Send the body as JSON with 'Content-Type: application/json'.";
            default -> e.getMessage();
        };
        return json(status >= 500 ? 400 : status, new ApiError(code, message, null));
    }

    /** The deployment is misconfigured (another embedding model than the index's): not an outage a retry gets past. */
    @ServerExceptionMapper
    public Response modelMismatch(ChunkIndex.ModelMismatchException e) {
        return json(500, new ApiError("model_mismatch", e.getMessage(), null));
    }

    /** The configured chat model refuses the request: a retry would fail again, so say what to fix (502). */
    @ServerExceptionMapper
    public Response answerModel(AnswerModelException e) {
        LOG.error("The answer model rejected the request", e);
        return json(502, new ApiError("answer_model_rejected", e.getMessage(), null));
    }

    /**
     * The chat model is throttling or failing and the client's retries did not get past it: an outage (503), named
     * as the model's so a client knows the documents and search are fine and an answer is worth asking for again.
     */
    @ServerExceptionMapper
    public Response answerModelUnavailable(AnswerModelUnavailableException e) {
        LOG.error("The answer model is unavailable", e);
        return json(503, new ApiError("answer_model_unavailable",
                "The answer model is unavailable (rate-limited or failing); nothing was answered or recorded. Retry shortly.", null));
    }

    /**
     * 503 only for an outage (throttling, 5xx, timeouts, a backend not reachable: {@link Failures} says transient),
     * which a retry may get past; anything else is a defect, a 500 that a retry would only repeat.
     */
    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        if (Failures.isTransient(e)) {
            LOG.error("The request failed on an outage", e);
            return json(503, new ApiError("unavailable", "The service could not complete the request; retry shortly.", null));
        }
        LOG.error("The request failed on a defect", e);
        return json(500, new ApiError("internal_error", "The service failed on this request; the failure is logged. "
                + "Retrying will not help.", null));
    }

    private static Response json(int status, ApiError error) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(error).build();
    }
}
