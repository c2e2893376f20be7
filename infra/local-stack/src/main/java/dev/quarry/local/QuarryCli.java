package dev.quarry.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The command line a newcomer uses against the local stack, through the same HTTP API and
 * presigned uploads a client uses in AWS: demo, ingest, ask, search.
 */
public final class QuarryCli {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DEMO_QUESTION = "How can I install an add-on package in R?";

    private final StackConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    QuarryCli(StackConfig config) {
        this.config = config;
    }

    public static void main(String[] args) throws Exception {
        StackConfig config = StackConfig.load(StackConfig.findProjectRoot());
        QuarryCli cli = new QuarryCli(config);
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length) {
                opts.put(args[i].substring(2), args[++i]);
            } else {
                positional.add(args[i]);
            }
        }
        String tenant = opts.getOrDefault("tenant", "demo");
        int exit = switch (args.length == 0 ? "" : args[0]) {
            case "demo" -> cli.demo();
            case "ingest" -> cli.requireStack() && cli.ingest(positional.stream().map(Path::of).toList(), tenant,
                    Duration.ofMinutes(number(opts, "timeout-minutes", 60))) ? 0 : 1;
            case "ask" -> cli.requireStack() ? cli.ask(String.join(" ", positional), tenant, number(opts, "top-k", 5)) : 1;
            case "search" -> cli.requireStack() ? cli.search(String.join(" ", positional), tenant,
                    opts.getOrDefault("mode", "hybrid"), number(opts, "top-k", 5)) : 1;
            default -> {
                System.err.println("usage: quarry demo | ingest <pdf|dir>... [--tenant T] | ask \"question\" [--tenant T] | search \"query\" [--mode m]");
                yield 2;
            }
        };
        System.exit(exit);
    }

    /** A whole-number option, or a usage error that names it (exit 2), never a stack trace. */
    private static int number(Map<String, String> opts, String name, int fallback) {
        String value = opts.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            System.err.println("--" + name + " takes a whole number, not '" + value + "'");
            System.exit(2);
            return fallback;
        }
    }

    private boolean requireStack() {
        if (!LocalStack.running(config)) {
            System.err.println("The local stack is not running: start it with scripts/quarry up");
            return false;
        }
        return true;
    }

    int demo() throws Exception {
        if (!LocalStack.up(config, true)) {
            return 1;
        }
        Path samples = config.projectRoot().resolve("infra/local-stack/samples");
        System.out.println();
        System.out.println("Ingesting the sample PDFs in " + config.projectRoot().relativize(samples) + " for tenant 'demo' ...");
        if (!ingest(List.of(samples), "demo", Duration.ofMinutes(30))) {
            return 1;
        }
        System.out.println();
        System.out.println("Asking: " + DEMO_QUESTION);
        int rc = ask(DEMO_QUESTION, "demo", 5);
        System.out.println();
        String demoUser = config.userPool().read().user("demo@quarry.local").filter(u -> u.password() != null)
                .map(u -> "sign in as demo@quarry.local / " + u.password() + ", or with the ").orElse("sign in with the ");
        System.out.println("Open the console: " + config.apiUrl() + "/console   (" + demoUser + "API key " + config.apiKeyFor("demo") + ")");
        System.out.println("Ask your own:     scripts/quarry ask \"your question\"");
        System.out.println("Add your PDFs:    scripts/quarry ingest path/to/file-or-folder");
        System.out.println("Use the API:      curl -H 'Authorization: Bearer " + config.apiKeyFor("demo") + "' " + config.apiUrl() + "/v1/documents");
        System.out.println("Stop the stack:   scripts/quarry down");
        return rc;
    }

    boolean ingest(List<Path> inputs, String tenant, Duration timeout) throws IOException, InterruptedException {
        List<Path> pdfs = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.walk(in)) {
                    s.filter(p -> p.getFileName().toString().toLowerCase().endsWith(".pdf")).sorted().forEach(pdfs::add);
                }
            } else if (Files.isRegularFile(in)) {
                pdfs.add(in);
            } else {
                System.err.println("No such file or folder: " + in);
                return false;
            }
        }
        if (pdfs.isEmpty()) {
            System.err.println("No PDF files found in " + inputs);
            return false;
        }
        String key = config.apiKeyFor(tenant);
        Map<String, String> ids = new LinkedHashMap<>();
        // A PDF uploaded again keeps its previous status until the pipeline picks the new upload up: it is
        // finished only once its record has changed since the upload and is terminal.
        Map<String, String> before = new LinkedHashMap<>();
        for (Path pdf : pdfs) {
            String name = pdf.getFileName().toString();
            JsonNode created = api("POST", "/v1/documents", JSON.createObjectNode().put("name", name), key, 201);
            String documentId = created.path("documentId").asText();
            before.put(documentId, api("GET", "/v1/documents/" + documentId, null, key, 200).path("updatedAt").asText());
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(created.path("uploadUrl").asText()))
                    .timeout(Duration.ofMinutes(5))
                    .PUT(HttpRequest.BodyPublishers.ofFile(pdf)).build(), HttpResponse.BodyHandlers.ofString());
            if (put.statusCode() / 100 != 2) {
                System.err.println("Upload of " + name + " failed: " + put.statusCode() + " " + put.body());
                return false;
            }
            ids.put(created.path("documentId").asText(), name);
            System.out.printf("  uploaded %-50s %s%n", name, created.path("documentId").asText());
        }
        Map<String, String> last = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        long start = System.nanoTime();
        Map<String, JsonNode> finished = new LinkedHashMap<>();
        while (finished.size() < ids.size() && System.nanoTime() < deadline) {
            for (String id : ids.keySet()) {
                if (finished.containsKey(id)) {
                    continue;
                }
                JsonNode doc = api("GET", "/v1/documents/" + id, null, key, 200);
                String status = doc.path("status").asText();
                String line = String.format("  %-50s %-10s %3d%%  pages %4d  chunks %5d", ids.get(id), status,
                        doc.path("progress").path("percent").asInt(), doc.path("pages").asInt(), doc.path("chunks").asInt());
                if (!line.equals(last.get(id))) {
                    System.out.println(line + (doc.hasNonNull("reason") ? "  " + doc.path("reason").asText() : ""));
                    last.put(id, line);
                }
                boolean changed = !doc.path("updatedAt").asText().equals(before.get(id));
                if (changed && (status.equals("READY") || status.equals("FAILED") || status.equals("DELETED"))) {
                    finished.put(id, doc);
                }
            }
            Thread.sleep(1000);
        }
        long ready = finished.values().stream().filter(d -> d.path("status").asText().equals("READY")).count();
        System.out.printf("%d of %d documents READY, %d FAILED, %d unfinished, in %.1f s%n", ready, ids.size(),
                finished.size() - ready, ids.size() - finished.size(), (System.nanoTime() - start) / 1e9);
        // One line per outcome, so a sweep over many files reads at a glance.
        Map<String, Integer> outcomes = new java.util.TreeMap<>();
        for (JsonNode d : finished.values()) {
            String outcome = d.path("status").asText() + (d.hasNonNull("errorCode") ? " " + d.path("errorCode").asText() : "")
                    + (d.path("warnings").isEmpty() ? "" : " (with warnings)");
            outcomes.merge(outcome, 1, Integer::sum);
        }
        if (outcomes.size() > 1 || ids.size() > 1) {
            System.out.println("Outcomes:");
            outcomes.forEach((outcome, n) -> System.out.printf("  %4d  %s%n", n, outcome));
        }
        return finished.size() == ids.size();
    }

    int ask(String question, String tenant, int topK) throws IOException, InterruptedException {
        JsonNode r = api("POST", "/v1/query", JSON.createObjectNode().put("question", question).put("topK", topK),
                config.apiKeyFor(tenant), 200);
        System.out.println();
        System.out.println(r.path("answer").asText());
        System.out.println();
        int i = 1;
        for (JsonNode c : r.path("citations")) {
            System.out.printf("  [%d] %s, page %d: \"%s\"%n", i++, c.path("name").asText(), c.path("page").asInt(), c.path("quote").asText());
        }
        if (r.hasNonNull("note")) {
            System.out.println();
            System.out.println("(" + r.path("note").asText() + ")");
        }
        System.out.println("(" + r.path("answerMode").asText() + " answer in " + r.path("timings").path("totalMillis").asLong() + " ms)");
        return r.path("found").asBoolean() ? 0 : 3;
    }

    int search(String query, String tenant, String mode, int topK) throws IOException, InterruptedException {
        JsonNode r = api("POST", "/v1/search", JSON.createObjectNode().put("query", query).put("topK", topK).put("mode", mode),
                config.apiKeyFor(tenant), 200);
        int i = 1;
        for (JsonNode h : r.path("hits")) {
            String text = h.path("text").asText();
            System.out.printf("%2d. %.4f  %s p.%d-%d  %s%n", i++, h.path("score").asDouble(), h.path("name").asText(),
                    h.path("pageStart").asInt(), h.path("pageEnd").asInt(), text.length() > 160 ? text.substring(0, 160) + "..." : text);
        }
        return 0;
    }

    JsonNode api(String method, String path, JsonNode body, String apiKey, int expected) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(config.apiUrl() + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
