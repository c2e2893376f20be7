package dev.quarry.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * A smoke test of a deployed Quarry (or the local stack) through its public API only, as a client
 * would use it: upload a sample PDF through a presigned URL, wait for READY, ask a question about it,
 * check that the answer cites that document with a page and a quote, and delete it again.
 *
 * <p>usage: scripts/quarry smoke &lt;api-url&gt; [token]  (the token is a JWT of a Cognito user in AWS, an
 * API key locally; default: the local key of tenant "smoke")
 */
public final class Smoke {
    static final String SAMPLE = "infra/local-stack/samples/R-FAQ.pdf";
    static final String QUESTION = "How can I install an add-on package in R?";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TERMINAL = Set.of("READY", "FAILED", "DELETED");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String api;
    private final String token;

    Smoke(String api, String token) {
        this.api = api.replaceAll("/+$", "");
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: scripts/quarry smoke <api-url> [token]");
            System.exit(2);
        }
        Path root = StackConfig.findProjectRoot();
        String token = args.length == 2 ? args[1] : StackConfig.load(root).apiKeyFor("smoke");
        System.exit(new Smoke(args[0], token).run(root.resolve(SAMPLE)));
    }

    int run(Path pdf) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        String name = "quarry-smoke-" + Instant.now().getEpochSecond() + ".pdf";
        JsonNode created = call("POST", "/v1/documents", JSON.createObjectNode().put("name", name), 201);
        String id = created.path("documentId").asText();
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(created.path("uploadUrl").asText()))
                .timeout(Duration.ofMinutes(5)).PUT(HttpRequest.BodyPublishers.ofFile(pdf)).build(), HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() / 100 != 2) {
            return fail("the presigned upload answered " + put.statusCode() + ": " + put.body());
        }
        System.out.println("smoke: uploaded " + name + " as " + id);
        JsonNode doc = null;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            doc = call("GET", "/v1/documents/" + id, null, 200);
            if (TERMINAL.contains(doc.path("status").asText())) {
                break;
            }
            Thread.sleep(1000);
        }
        if (doc == null || !doc.path("status").asText().equals("READY")) {
            return fail("the document did not become READY: " + doc);
        }
        System.out.printf("smoke: READY, %d pages, %d chunks%n", doc.path("pages").asInt(), doc.path("chunks").asInt());
        ObjectNode question = JSON.createObjectNode().put("question", QUESTION);
        question.putObject("filters").putArray("documentIds").add(id);
        JsonNode answer = call("POST", "/v1/query", question, 200);
        JsonNode citations = answer.path("citations");
        if (!answer.path("found").asBoolean() || citations.isEmpty()) {
            return fail("no cited answer: " + answer.path("answer").asText());
        }
        for (JsonNode c : citations) {
            int page = c.path("page").asInt();
            if (!c.path("documentId").asText().equals(id) || page < 1 || page > doc.path("pages").asInt() || c.path("quote").asText().isBlank()) {
                return fail("a citation does not point into the uploaded document: " + c);
            }
        }
        JsonNode first = citations.get(0);
        System.out.printf("smoke: answered with %d citation(s), first: page %d \"%s\"%n", citations.size(), first.path("page").asInt(),
                first.path("quote").asText());
        call("DELETE", "/v1/documents/" + id, null, 202, 200, 204);
        System.out.printf("smoke: passed in %.1f s (document deleted)%n", (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private static int fail(String why) {
        System.err.println("smoke: FAILED: " + why);
        return 1;
    }

    private JsonNode call(String method, String path, JsonNode body, int... expected) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        for (int e : expected) {
            if (r.statusCode() == e) {
                return r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
            }
        }
        throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }
}
