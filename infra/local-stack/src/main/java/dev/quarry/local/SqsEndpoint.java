package dev.quarry.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * SQS endpoint of the local stack: forwards every request to ElasticMQ unchanged and remembers the messages
 * whose visibility a client changed (a function delaying its next delivery, a test, the CLI). The event
 * source's keep-hidden heartbeat, which stands in for a visibility timeout at least as long as the function's
 * timeout, leaves those messages alone: in AWS nothing but the client changes a received message's visibility.
 * Client changes and heartbeat changes take one lock, so a heartbeat never lands after a client's change.
 */
final class SqsEndpoint implements SqsEventSource.ClientVisibility, AutoCloseable {
    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive", "date");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Receipt handles remembered at most; the oldest go first (a handle matters only while its batch runs). */
    private static final int REMEMBERED = 10_000;

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String upstream;
    private final Map<String, Boolean> changedByClient = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });

    SqsEndpoint(int port, String upstream) throws IOException {
        this.upstream = upstream;
        this.server = LocalHttpServers.bind(port, 128);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sqs-endpoint");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    private final Object visibilityLock = new Object();

    @Override
    public void unlessChangedByClient(String receiptHandle, Runnable change) {
        synchronized (visibilityLock) {
            if (!changedByClient.containsKey(receiptHandle)) {
                change.run();
            }
        }
    }

    @Override
    public void settled(Collection<String> receiptHandles) {
        receiptHandles.forEach(changedByClient::remove);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(upstream + ex.getRequestURI()))
                    .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            ex.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> req.header(name, v));
                }
            });
            Map<String, Boolean> changes = visibilityChanges(ex.getRequestHeaders().getFirst("X-Amz-Target"), body);
            HttpResponse<byte[]> resp;
            try {
                if (changes.isEmpty()) {
                    resp = client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
                } else {
                    synchronized (visibilityLock) {
                        resp = client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
                        if (resp.statusCode() == 200) {
                            changedByClient.putAll(changes);
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ex.sendResponseHeaders(503, -1);
                return;
            }
            resp.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    values.forEach(v -> ex.getResponseHeaders().add(name, v));
                }
            });
            byte[] out = resp.body();
            ex.sendResponseHeaders(resp.statusCode(), out.length == 0 ? -1 : out.length);
            ex.getResponseBody().write(out);
        }
    }

    /** The receipt handles a ChangeMessageVisibility(Batch) request names, in the JSON or the query protocol. */
    static Map<String, Boolean> visibilityChanges(String target, byte[] body) {
        List<String> handles = new ArrayList<>();
        String text = new String(body, StandardCharsets.UTF_8);
        if (target != null) {
            if (target.endsWith(".ChangeMessageVisibility") || target.endsWith(".ChangeMessageVisibilityBatch")) {
                try {
                    JsonNode request = JSON.readTree(text);
                    if (request.hasNonNull("ReceiptHandle")) {
                        handles.add(request.get("ReceiptHandle").asText());
                    }
                    request.path("Entries").forEach(e -> handles.add(e.path("ReceiptHandle").asText()));
                } catch (IOException e) {
                    // ElasticMQ answered it, so it was JSON; nothing to remember otherwise
                }
            }
        } else if (text.contains("Action=ChangeMessageVisibility")) {
            for (String pair : text.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
                if (eq > 0 && name.endsWith("ReceiptHandle")) {
                    handles.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        Map<String, Boolean> changes = new LinkedHashMap<>();
        handles.forEach(h -> changes.put(h, Boolean.TRUE));
        return changes;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
