package dev.quarry.functions.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.RestAssured;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An API Gateway HTTP API event (payload 2.0) from {@code src/test/resources/events/}, adjusted and
 * posted raw to the mock Lambda event server's {@code /_lambda_} endpoint, so the function sees what
 * API Gateway would send it, authorizer claims included, and answers with the response event.
 */
final class LambdaEvent {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANT_CLAIM = "custom:tenant";

    private final ObjectNode event;

    private LambdaEvent(ObjectNode event) {
        this.event = event;
    }

    static LambdaEvent from(String fixture) {
        try (InputStream in = LambdaEvent.class.getResourceAsStream("/events/" + fixture)) {
            if (in == null) {
                throw new IllegalArgumentException("No event fixture events/" + fixture);
            }
            return new LambdaEvent((ObjectNode) JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    LambdaEvent request(String method, String path) {
        event.put("rawPath", path);
        ObjectNode http = (ObjectNode) event.path("requestContext").path("http");
        http.put("method", method);
        http.put("path", path);
        return this;
    }

    LambdaEvent query(String rawQueryString) {
        event.put("rawQueryString", rawQueryString);
        return this;
    }

    LambdaEvent body(String body) {
        event.put("body", body);
        event.put("isBase64Encoded", false);
        return this;
    }

    LambdaEvent header(String name, String value) {
        ObjectNode headers = event.has("headers") ? (ObjectNode) event.get("headers") : event.putObject("headers");
        if (value == null) {
            headers.remove(name);
        } else {
            headers.put(name, value);
        }
        return this;
    }

    LambdaEvent tenant(String tenant) {
        ((ObjectNode) event.path("requestContext").path("authorizer").path("jwt").path("claims")).put(TENANT_CLAIM, tenant);
        return this;
    }

    LambdaEvent withoutTenantClaim() {
        ((ObjectNode) event.path("requestContext").path("authorizer").path("jwt").path("claims")).remove(TENANT_CLAIM);
        return this;
    }

    LambdaEvent raw(String field, JsonNode value) {
        event.set(field, value);
        return this;
    }

    /** Invokes the function with this event and returns its response event as it is (base64 bodies undecoded). */
    JsonNode sendRaw() {
        String payload = RestAssured.given()
                .port(ConfigProvider.getConfig().getValue("quarkus.lambda.mock-event-server.test-port", Integer.class))
                .contentType("application/json")
                .body(event.toString())
                .post("/_lambda_").asString();
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            throw new UncheckedIOException("The function's reply is not a response event: " + payload, e);
        }
    }

    /** Invokes the function with this event and returns the HTTP response API Gateway would send back. */
    Reply send() {
        var response = RestAssured.given()
                .port(ConfigProvider.getConfig().getValue("quarkus.lambda.mock-event-server.test-port", Integer.class))
                .contentType("application/json")
                .body(event.toString())
                .post("/_lambda_");
        String payload = response.asString();
        if (response.statusCode() != 200) {
            // The function failed instead of answering: the Lambda service turns that into a 5xx.
            return new Reply(502, JSON.createObjectNode(), payload);
        }
        try {
            JsonNode reply = JSON.readTree(payload);
            String body = reply.path("body").isNull() ? "" : reply.path("body").asText("");
            if (reply.path("isBase64Encoded").asBoolean(false)) {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            }
            JsonNode headers = reply.path("headers").isObject() ? reply.path("headers") : JSON.createObjectNode();
            return new Reply(reply.path("statusCode").asInt(), headers, body);
        } catch (IOException e) {
            throw new UncheckedIOException("The function's reply is not a response event: " + payload, e);
        }
    }

    @Override
    public String toString() {
        return event.path("requestContext").path("http").path("method").asText() + " " + event.path("rawPath").asText()
                + (event.path("rawQueryString").asText().isEmpty() ? "" : "?" + event.path("rawQueryString").asText())
                + " " + event.path("body").asText("");
    }

    /** The HTTP response inside the function's APIGatewayV2HTTPResponse. */
    record Reply(int status, JsonNode headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON (status " + status + "): " + body, e);
            }
        }

        String header(String name) {
            var names = headers.fieldNames();
            while (names.hasNext()) {
                String n = names.next();
                if (n.equalsIgnoreCase(name)) {
                    return headers.get(n).asText();
                }
            }
            return null;
        }
    }
}
