package dev.quarry.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The Quarry HTTP API of the local stack, as a client sees it: API key in, JSON out. */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Set<String> TERMINAL = Set.of("READY", "FAILED", "DELETED");

    final StackConfig config;
    final String tenant;
    final String key;

    Api(StackConfig config, String tenant) {
        this.config = config;
        this.tenant = tenant;
        this.key = config.apiKeyFor(tenant);
    }

    record Response(int status, JsonNode body) {
    }

    Response call(String method, String path, String body) {
        return raw(method, path, body, Map.of("Authorization", "Bearer " + key, "Content-Type", "application/json"));
    }

    static Response raw(StackConfig config, String method, String path, String body, Map<String, String> headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(config.apiUrl() + path)).timeout(Duration.ofSeconds(60));
            headers.forEach(b::header);
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Response raw(String method, String path, String body, Map<String, String> headers) {
        return raw(config, method, path, body, headers);
    }

    /** Creates the document and PUTs the bytes to the presigned URL; returns the document id. */
    String upload(String name, Path file) {
        Response created = call("POST", "/v1/documents", JSON.createObjectNode().put("name", name).toString());
        assertThat(created.status()).as("POST /v1/documents: %s", created.body()).isEqualTo(201);
        try {
            HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(created.body().path("uploadUrl").asText()))
                    .PUT(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as("presigned PUT of %s: %s", name, put.body()).isEqualTo(200);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return created.body().path("documentId").asText();
    }

    JsonNode document(String id) {
        Response r = call("GET", "/v1/documents/" + id, null);
        assertThat(r.status()).as("GET document %s: %s", id, r.body()).isEqualTo(200);
        return r.body();
    }

    /** Polls until every document is READY, FAILED or DELETED and returns their last views. */
    Map<String, JsonNode> awaitTerminal(Collection<String> ids, Duration timeout) {
        Map<String, JsonNode> last = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (String id : ids) {
                JsonNode doc = document(id);
                last.put(id, doc);
                all &= TERMINAL.contains(doc.path("status").asText());
            }
            if (all) {
                return last;
            }
            Servers.sleep(500);
        }
        throw new AssertionError("Documents did not finish within " + timeout + ": " + last);
    }
}
