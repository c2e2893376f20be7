package dev.quarry.ai.answer;

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
 * A Bedrock Runtime endpoint on a random local port that answers the Converse operation
 * ({@code POST /model/{modelId}/converse}) with queued replies and records what it received.
 */
final class FakeBedrock implements AutoCloseable {

    /** One received call: the decoded path, the headers and the JSON body the SDK sent. */
    record Received(String method, String path, Map<String, List<String>> headers, String body) {
    }

    private record Reply(int status, Map<String, String> headers, String body) {
    }

    private final HttpServer server;
    private final Queue<Reply> replies = new ArrayDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    FakeBedrock() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues a successful Converse response whose single content block is {@code text}. */
    FakeBedrock answers(String text) {
        String body = """
                {"output":{"message":{"role":"assistant","content":[{"text":%s}]}},\
                "stopReason":"end_turn","usage":{"inputTokens":10,"outputTokens":5,"totalTokens":15},\
                "metrics":{"latencyMs":5}}""".formatted(jsonString(text));
        return reply(200, Map.of(), body);
    }

    /** Queues a 429 as Bedrock sends it when the account's quota is exhausted. */
    FakeBedrock throttles() {
        return reply(429, Map.of("x-amzn-ErrorType", "ThrottlingException"), "{\"message\":\"Too many requests\"}");
    }

    synchronized FakeBedrock reply(int status, Map<String, String> headers, String body) {
        replies.add(new Reply(status, headers, body));
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
                    ? new Reply(500, Map.of("x-amzn-ErrorType", "InternalServerException"), "{\"message\":\"no reply queued\"}")
                    : replies.poll();
        }
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("x-amzn-RequestId", "fake-" + received.size());
        reply.headers().forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String jsonString(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
