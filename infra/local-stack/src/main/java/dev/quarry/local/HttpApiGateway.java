package dev.quarry.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * The local stand-in for API Gateway (HTTP API, payload format 2.0, JWT authorizer): a JWT in the
 * Authorization header goes to the {@link JwtAuthorizer} configured as Terraform configures the API's
 * (the local Cognito user pool's issuer, its app clients as audiences), which refuses it with API Gateway's
 * 401 or passes its claims on. Besides tokens it takes the local API keys (a convenience of the local
 * stack for the CLI and the tests; AWS has no such keys): a key's tenant goes into the claims exactly
 * where the JWT authorizer puts the tenant claim. Then it invokes the query function with the event JSON.
 */
final class HttpApiGateway implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The JWT claim that names the tenant (Terraform's auth_tenant_claim default). */
    static final String TENANT_CLAIM = "custom:tenant";
    private static final Set<String> PUBLIC = Set.of("/v1/health", "/q/openapi", "/q/health");
    /** The web console's files: public routes "GET /console" and "GET /console/{proxy+}", as in Terraform. */
    private static final String CONSOLE = "/console";

    /** What the route's Lambda integration invokes: the query function. */
    interface Integration {
        String invoke(String event, Duration timeout);
    }

    private final HttpServer server;
    private final Integration function;
    private final java.util.function.Supplier<Map<String, String>> apiKeys;
    private final String tenantClaim;
    private final JwtAuthorizer authorizer;

    HttpApiGateway(int port, Integration function, java.util.function.Supplier<Map<String, String>> apiKeys, String tenantClaim,
            JwtAuthorizer authorizer) throws IOException {
        this.function = function;
        this.apiKeys = apiKeys;
        this.tenantClaim = tenantClaim;
        this.authorizer = authorizer;
        this.server = LocalHttpServers.bind(port, 128);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "api-gateway");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            URI uri = ex.getRequestURI();
            String path = uri.getPath();
            JwtAuthorizer.Allowed identity = null;
            if (!isPublic(ex.getRequestMethod(), path)) {
                String key = apiKey(ex);
                String tenant = apiKeys.get().get(key);
                if (tenant != null) {
                    Map<String, String> claims = new LinkedHashMap<>();
                    claims.put("sub", "local-" + tenant);
                    claims.put(tenantClaim, tenant);
                    identity = new JwtAuthorizer.Allowed(claims, List.of());
                } else if (authorizer != null && ex.getRequestHeaders().getFirst("x-api-key") == null && JwtAuthorizer.looksLikeJwt(token(ex))) {
                    JwtAuthorizer.Decision decision = authorizer.authorize(ex.getRequestHeaders().getFirst("Authorization"));
                    if (decision instanceof JwtAuthorizer.Refused refused) {
                        // API Gateway's answer, with the reason in www-authenticate only.
                        ex.getResponseHeaders().set("www-authenticate", "Bearer scope=\"\" error=\"invalid_token\" error_description=\""
                                + refused.description().replaceAll("[^\\x20-\\x7e]", " ").replace("\"", "'") + "\"");
                        json(ex, 401, Map.of("message", "Unauthorized"));
                        return;
                    }
                    identity = (JwtAuthorizer.Allowed) decision;
                } else {
                    json(ex, 401, Map.of("error", "unauthorized",
                            "message", "Send a valid API key as 'Authorization: Bearer <key>' or 'x-api-key: <key>' (local keys are in .quarry/api-keys.properties)."));
                    return;
                }
            }
            byte[] body = ex.getRequestBody().readAllBytes();
            String response;
            try {
                response = function.invoke(event(ex, uri, body, identity), Duration.ofSeconds(30));
            } catch (LambdaRuntimeApi.FunctionError e) {
                json(ex, 502, Map.of("error", "bad_gateway", "message", "The query function failed: " + e.getMessage()));
                return;
            }
            JsonNode r = JSON.readTree(response);
            r.path("headers").fields().forEachRemaining(h -> ex.getResponseHeaders().set(h.getKey(), h.getValue().asText()));
            r.path("multiValueHeaders").fields().forEachRemaining(h -> h.getValue()
                    .forEach(v -> ex.getResponseHeaders().add(h.getKey(), v.asText())));
            r.path("cookies").forEach(c -> ex.getResponseHeaders().add("Set-Cookie", c.asText()));
            String text = r.path("body").isNull() ? "" : r.path("body").asText("");
            byte[] out = r.path("isBase64Encoded").asBoolean() ? Base64.getDecoder().decode(text) : text.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(r.path("statusCode").asInt(200), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                ex.getResponseBody().write(out);
            }
        } catch (RuntimeException e) {
            json(ex, 502, Map.of("error", "bad_gateway", "message", String.valueOf(e.getMessage())));
        }
    }

    /** The port it listens on (the one asked for, or the one the system gave for 0). */
    int port() {
        return server.getAddress().getPort();
    }

    static boolean isPublic(String method, String path) {
        return PUBLIC.contains(path) || (method.equals("GET")
                && (path.equals(CONSOLE) || path.startsWith(CONSOLE + "/")));
    }

    private static String apiKey(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).trim();
        }
        String key = ex.getRequestHeaders().getFirst("x-api-key");
        return key == null ? "" : key.trim();
    }

    /** The Authorization header's value, with or without "Bearer ", as the JWT authorizer takes it. */
    private static String token(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null) {
            return "";
        }
        return auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : auth.trim();
    }

    /** An API Gateway HTTP API payload 2.0 event, as the Lambda integration receives it. */
    private String event(HttpExchange ex, URI uri, byte[] body, JwtAuthorizer.Allowed identity) {
        ObjectNode e = JSON.createObjectNode();
        e.put("version", "2.0");
        e.put("routeKey", "$default");
        e.put("rawPath", uri.getRawPath());
        e.put("rawQueryString", uri.getRawQuery() == null ? "" : uri.getRawQuery());
        ObjectNode headers = e.putObject("headers");
        ex.getRequestHeaders().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("authorization") && !k.equalsIgnoreCase("x-api-key")) {
                headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v));
            }
        });
        if (uri.getRawQuery() != null) {
            Map<String, String> params = new LinkedHashMap<>();
            for (String p : uri.getRawQuery().split("&")) {
                if (p.isEmpty()) {
                    continue;
                }
                int eq = p.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? p : p.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8);
                params.merge(k, v, (a, b) -> a + "," + b);
            }
            ObjectNode q = e.putObject("queryStringParameters");
            params.forEach(q::put);
        }
        ObjectNode ctx = e.putObject("requestContext");
        ctx.put("accountId", "000000000000");
        ctx.put("apiId", "local");
        if (identity != null) {
            ObjectNode jwt = ctx.putObject("authorizer").putObject("jwt");
            ObjectNode claims = jwt.putObject("claims");
            identity.claims().forEach(claims::put);
            if (identity.scopes() == null) {
                jwt.putNull("scopes");
            } else {
                identity.scopes().forEach(jwt.putArray("scopes")::add);
            }
        }
        ctx.put("domainName", "127.0.0.1");
        ctx.put("domainPrefix", "local");
        ObjectNode http = ctx.putObject("http");
        http.put("method", ex.getRequestMethod());
        http.put("path", uri.getRawPath());
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", ex.getRemoteAddress().getAddress().getHostAddress());
        http.put("userAgent", String.valueOf(ex.getRequestHeaders().getFirst("User-Agent")));
        ctx.put("requestId", UUID.randomUUID().toString());
        ctx.put("routeKey", "$default");
        ctx.put("stage", "$default");
        ctx.put("time", Instant.now().toString());
        ctx.put("timeEpoch", Instant.now().toEpochMilli());
        if (body.length > 0) {
            e.put("body", Base64.getEncoder().encodeToString(body));
            e.put("isBase64Encoded", true);
        } else {
            e.put("isBase64Encoded", false);
        }
        return e.toString();
    }

    private static void json(HttpExchange ex, int status, Map<String, String> body) throws IOException {
        byte[] out = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    static List<String> publicPaths() {
        return List.copyOf(PUBLIC);
    }
}
