package dev.quarry.tools;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.Reader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * The product's HTTP API as the tools call it, and where the running local stack keeps its address
 * and API keys ({@code .quarry/stack.json}, {@code .quarry/api-keys.properties}). The tools talk to
 * the stack only through this state and the public API, never through the stack's classes: those
 * would put the stack's servers on the tools' classpath.
 */
final class LocalApi {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** A call's status, body and client-side wall-clock time (send to last byte). */
    record Response(int status, String body, double millis) {
        JsonNode json() throws IOException {
            return BeirDataset.JSON.readTree(body);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;
    private final String apiKey;

    LocalApi(String url, String apiKey) {
        this.url = trimSlash(url);
        this.apiKey = apiKey;
    }

    String url() {
        return url;
    }

    /** GET {@code path}; refuses any status other than {@code expected} with the API's own message. */
    JsonNode get(String path, int expected) throws IOException, InterruptedException {
        return expect("GET", path, call(request(path).GET().build()), expected).json();
    }

    /** POST JSON to {@code path}, timed; refuses any status other than {@code expected}. */
    Response post(String path, JsonNode body, int expected) throws IOException, InterruptedException {
        return expect("POST", path, call(post(url + path, apiKey, body.toString())), expected);
    }

    /** PUT a file to a presigned URL (no API key: the signature is the credential). */
    Response put(String presignedUrl, Path file) throws IOException, InterruptedException {
        HttpRequest put = HttpRequest.newBuilder(URI.create(presignedUrl)).timeout(Duration.ofMinutes(5))
                .PUT(HttpRequest.BodyPublishers.ofFile(file)).build();
        Response r = call(put);
        if (r.status() / 100 != 2) {
            throw new Tools.ToolException("Upload of " + file.getFileName() + " answered " + r.status() + ": " + abbreviate(r.body()));
        }
        return r;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url + path)).timeout(TIMEOUT).header("Authorization", "Bearer " + apiKey);
    }

    private Response call(HttpRequest request) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        HttpResponse<String> r = send(http, request, url);
        return new Response(r.statusCode(), r.body(), (System.nanoTime() - t0) / 1e6);
    }

    private static Response expect(String method, String path, Response r, int expected) {
        if (r.status() != expected) {
            throw new Tools.ToolException(method + " " + path + " answered " + r.status() + ": " + abbreviate(r.body()));
        }
        return r;
    }

    static HttpRequest post(String url, String apiKey, String json) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
    }

    /** Sends, turning "nothing listens there" into a message that says to start the stack. */
    static HttpResponse<String> send(HttpClient http, HttpRequest request, String server) throws IOException, InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new Tools.ToolException("Nothing answers at " + server + ": start the local stack with scripts/quarry up", e);
        }
    }

    /** The running local stack's state ({@code api}, {@code apiKey} of tenant demo, ...) from .quarry/stack.json, or an empty node. */
    static JsonNode stackInfo() {
        Path file = ProjectPaths.stateDir("stack.json");
        try {
            return Files.isRegularFile(file) ? BeirDataset.JSON.readTree(file.toFile()) : BeirDataset.JSON.createObjectNode();
        } catch (IOException e) {
            return BeirDataset.JSON.createObjectNode();
        }
    }

    /** The tenant the local gateway maps this API key to, if the key is one of .quarry/api-keys.properties. */
    static Optional<String> tenantOf(String apiKey) {
        return Optional.ofNullable(apiKeys().getProperty(apiKey));
    }

    /**
     * The local API key of {@code tenant}, adding one to .quarry/api-keys.properties when the tenant
     * has none: the rule and key format of the stack's own {@code StackConfig.apiKeyFor}, which
     * {@code scripts/quarry ingest --tenant} uses. The gateway reads the file on every request, so
     * a key added here works at once without restarting the stack.
     */
    static String keyFor(String tenant) {
        Path file = ProjectPaths.stateDir("api-keys.properties");
        if (!Files.isRegularFile(file)) {
            throw new Tools.ToolException("No " + file + ": start the local stack with scripts/quarry up (it writes the API keys), "
                    + "or pass --api URL and --api-key KEY");
        }
        Properties keys = apiKeys();
        Optional<String> existing = keys.stringPropertyNames().stream().sorted().filter(k -> tenant.equals(keys.getProperty(k).strip())).findFirst();
        if (existing.isPresent()) {
            return existing.get();
        }
        String key = "local-" + tenant + "-" + Long.toHexString(new SecureRandom().nextLong() & Long.MAX_VALUE);
        try {
            Files.writeString(file, key + "=" + tenant + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new Tools.ToolException("Cannot add an API key for tenant " + tenant + " to " + file + ": " + e.getMessage(), e);
        }
        return key;
    }

    private static Properties apiKeys() {
        Path file = ProjectPaths.stateDir("api-keys.properties");
        Properties keys = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                keys.load(in);
            } catch (IOException e) {
                throw new Tools.ToolException("Cannot read the local API keys in " + file + ": " + e.getMessage(), e);
            }
        }
        return keys;
    }

    static String trimSlash(String url) {
        return url != null && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 297) + "...";
    }
}
