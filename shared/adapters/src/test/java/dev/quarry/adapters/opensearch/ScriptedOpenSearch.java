package dev.quarry.adapters.opensearch;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** An HTTP server on a random local port that answers as the test says and records what it was sent. */
final class ScriptedOpenSearch implements AutoCloseable {
    record Request(String method, String uri, String body) {
    }

    record Answer(int status, String body) {
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final OpenSearchClients.Handle client;

    ScriptedOpenSearch(Function<Request, Answer> answers) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            requests.add(request);
            Answer answer = answers.apply(request);
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            boolean empty = body.length == 0 || request.method().equals("HEAD");
            exchange.sendResponseHeaders(answer.status(), empty ? -1 : body.length);
            if (!empty) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        client = OpenSearchClients.local("http://127.0.0.1:" + server.getAddress().getPort());
    }

    org.opensearch.client.opensearch.OpenSearchClient client() {
        return client.client();
    }

    static Answer error(int status, String type, String reason) {
        return new Answer(status, "{\"error\":{\"root_cause\":[{\"type\":\"" + type + "\",\"reason\":\"" + reason + "\"}],\"type\":\""
                + type + "\",\"reason\":\"" + reason + "\"},\"status\":" + status + "}");
    }

    @Override
    public void close() throws Exception {
        client.close();
        server.stop(0);
    }
}
