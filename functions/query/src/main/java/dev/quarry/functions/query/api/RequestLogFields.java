package dev.quarry.functions.query.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.quarry.core.lambda.LogFields;
import dev.quarry.functions.query.service.Refusal;
import dev.quarry.functions.query.service.Tenants;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts the request's {@link LogFields} into the MDC when it arrives, so that every line logged while it is served
 * carries them: stage {@code query}, the invocation's {@code requestId} (Lambda's awsRequestId), API Gateway's own
 * request id ({@code apiRequestId}, the one in its access log and the {@code apigw-requestid} header), the caller's
 * {@code tenant} and, for {@code /v1/documents/{id}...}, the {@code documentId}; a document's API calls share its
 * pipeline lines' filter. Each request ends with one line (method, path, status, time), and the fields are removed.
 * Never the body, the question or a header's value.
 */
@Provider
@PreMatching
public class RequestLogFields implements ContainerRequestFilter, ContainerResponseFilter {
    private static final Logger LOG = Logger.getLogger(RequestLogFields.class);
    static final String API_REQUEST_ID = "apiRequestId";
    private static final String STARTED = RequestLogFields.class.getName() + ".started";
    private static final Pattern DOCUMENT_PATH = Pattern.compile("/v1/documents/([0-9A-Za-z_-]{1,64})(?:/.*)?");

    @Inject
    Instance<APIGatewayV2HTTPEvent> events;
    @Inject
    Instance<Context> invocations;
    @Inject
    Tenants tenants;

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(STARTED, System.nanoTime());
        APIGatewayV2HTTPEvent event = event();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(LogFields.STAGE, "query");
        String apiRequestId = event == null || event.getRequestContext() == null ? null : event.getRequestContext().getRequestId();
        String awsRequestId = awsRequestId();
        fields.put(LogFields.REQUEST_ID, awsRequestId != null ? awsRequestId : apiRequestId);
        fields.put(API_REQUEST_ID, apiRequestId);
        fields.put(LogFields.TENANT, tenant(event));
        Matcher document = DOCUMENT_PATH.matcher(request.getUriInfo().getPath());
        fields.put(LogFields.DOCUMENT_ID, document.matches() ? document.group(1) : null);
        LogFields.put(fields); // not restored by a scope: the response filter removes them
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        try {
            Object started = request.getProperty(STARTED);
            long millis = started instanceof Long t ? (System.nanoTime() - t) / 1_000_000 : -1;
            LOG.infof("%s %s -> %d in %d ms", request.getMethod(), request.getUriInfo().getPath(), response.getStatus(), millis);
        } finally {
            for (String key : new String[] {LogFields.STAGE, LogFields.REQUEST_ID, API_REQUEST_ID, LogFields.TENANT,
                    LogFields.DOCUMENT_ID}) {
                MDC.remove(key);
            }
        }
    }

    /** The API Gateway event this request came in; null when there is none (a request that did not come through Lambda). */
    private APIGatewayV2HTTPEvent event() {
        try {
            APIGatewayV2HTTPEvent event = events.get();
            event.getRequestContext(); // the request-scoped producer runs here, and fails without an event
            return event;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String awsRequestId() {
        try {
            return invocations.get().getAwsRequestId();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The authenticated tenant, as {@link Tenants} reads it; none for an anonymous or refused caller (the resource answers them). */
    private String tenant(APIGatewayV2HTTPEvent event) {
        if (event == null) {
            return null;
        }
        try {
            return tenants.of(event);
        } catch (Refusal e) {
            return null;
        }
    }
}
