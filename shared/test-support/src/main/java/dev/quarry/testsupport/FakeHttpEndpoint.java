package dev.quarry.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A model provider's HTTP endpoint on a random local port: it answers every request with the next
 * queued reply (JSON) and records what it received, so a test can drive the real client library.
 */
public abstract class FakeHttpEndpoint implements AutoCloseable {

    /** One received call: the decoded path, the headers and the body the client sent. */
    public record Received(String method, String path, Map<String, List<String>> headers, String body) {
    }

    public record Reply(int status, Map<String, String> headers, String body) {
    }

    private final HttpServer server;
    private final Queue<Reply> replies = new ArrayDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    protected FakeHttpEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** http://127.0.0.1:port, without a trailing slash. */
    public final String root() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public final synchronized void enqueue(int status, Map<String, String> headers, String body) {
        replies.add(new Reply(status, headers, body));
    }

    /** Drops the replies still queued: the provider has recovered. */
    public final synchronized void clearQueue() {
        replies.clear();
    }

    public final List<Received> received() {
        return List.copyOf(received);
    }

    /** What the endpoint answers when the test queued nothing: the provider's own 500. */
    protected abstract Reply nothingQueued();

    /** Headers the provider sets on every response (beside Content-Type). */
    protected Map<String, String> headersOfEveryReply(int callNumber) {
        return Map.of();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                Map.copyOf(exchange.getRequestHeaders()), body));
        Reply reply;
        synchronized (this) {
            reply = replies.isEmpty() ? nothingQueued() : replies.poll();
        }
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        headersOfEveryReply(received.size()).forEach(exchange.getResponseHeaders()::set);
        reply.headers().forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
