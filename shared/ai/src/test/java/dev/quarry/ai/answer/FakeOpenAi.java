package dev.quarry.ai.answer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * An OpenAI-compatible endpoint on a random local port that answers {@code POST /v1/chat/completions}
 * with queued replies and records what it received.
 */
final class FakeOpenAi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One received call: the path, the headers and the JSON body the client sent. */
    record Received(String method, String path, Map<String, List<String>> headers, String body) {
    }

    private record Reply(int status, String body) {
    }

    private final HttpServer server;
    private final Queue<Reply> replies = new ArrayDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    FakeOpenAi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL a client is configured with; it appends {@code /chat/completions}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Queues a chat completion whose single choice says {@code text}. */
    FakeOpenAi answers(String text) {
        ObjectNode body = JSON.createObjectNode()
                .put("id", "chatcmpl-" + (replies.size() + 1))
                .put("object", "chat.completion")
                .put("created", 1_700_000_000)
                .put("model", "gpt-4o-mini");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", text);
        body.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 15);
        return reply(200, body.toString());
    }

    /** Queues a 429 as OpenAI sends it when the rate limit is hit. */
    FakeOpenAi rateLimits() {
        return error(429, "rate_limit_exceeded", "Rate limit reached for requests");
    }

    FakeOpenAi error(int status, String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", code).put("code", code);
        return reply(status, body.toString());
    }

    synchronized FakeOpenAi reply(int status, String body) {
        replies.add(new Reply(status, body));
        return this;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                Map.copyOf(exchange.getRequestHeaders()), body));
        Reply reply;
        synchronized (this) {
            reply = replies.isEmpty()
                    ? new Reply(500, "{\"error\":{\"message\":\"no reply queued\",\"type\":\"server_error\"}}")
                    : replies.poll();
        }
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
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
