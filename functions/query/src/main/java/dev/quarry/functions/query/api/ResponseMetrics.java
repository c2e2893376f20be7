package dev.quarry.functions.query.api;

import dev.quarry.core.metrics.MetricNames;
import dev.quarry.functions.query.service.QueryMetrics;
import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts every response of the API by route and error code (successes, 4xx, 5xx: the mapped failures of
 * {@link ErrorMappers} included) and then writes the request's metrics as EMF, once per request. The route is the
 * matched method and template ({@code GET /v1/documents/{documentId}}), never the raw path, and the error is the
 * body's {@link ApiError} code, so the dimensions stay few: no tenant, no document id. (A native image finds the
 * {@code @Path}s because reflect-config.json registers the resource classes' methods.)
 */
public class ResponseMetrics {
    /** The route template of each resource method, read once from its {@code @Path}s. */
    private static final Map<Method, String> TEMPLATES = new ConcurrentHashMap<>();

    @Inject
    QueryMetrics metrics;

    @ServerResponseFilter
    public void count(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource) {
        String error = response.getEntity() instanceof ApiError e && e.error() != null ? e.error() : MetricNames.NO_ERROR;
        metrics.responded(route(request, resource), response.getStatus(), error);
        metrics.flush();
    }

    static String route(ContainerRequestContext request, ResourceInfo resource) {
        Method method = resource == null ? null : resource.getResourceMethod();
        if (method == null) {
            return MetricNames.UNMATCHED;
        }
        return request.getMethod() + " " + TEMPLATES.computeIfAbsent(method, ResponseMetrics::template);
    }

    /** The class's and the method's {@code @Path} joined; a parameter's regex dropped ({@code {file: .+}} is {@code {file}}). */
    static String template(Method method) {
        Path type = method.getDeclaringClass().getAnnotation(Path.class);
        Path own = method.getAnnotation(Path.class);
        String joined = "/" + (type == null ? "" : type.value()) + "/" + (own == null ? "" : own.value());
        String template = joined.replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}").replaceAll("/+", "/");
        return template.length() > 1 && template.endsWith("/") ? template.substring(0, template.length() - 1) : template;
    }
}
