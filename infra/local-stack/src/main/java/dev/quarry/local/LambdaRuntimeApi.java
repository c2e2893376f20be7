package dev.quarry.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The AWS Lambda Runtime API (2018-06-01) of one sandbox: its function process runs the real AWS
 * Lambda Java runtime interface client against it, exactly as in AWS, and {@link #invoke} plays the
 * part of the Lambda service handing that sandbox an invocation. Public for the cold-start benchmark
 * (infra/tools), which starts function processes against it the same way.
 */
public final class LambdaRuntimeApi implements AutoCloseable {
    private static final String PREFIX = "/2018-06-01/runtime/";

    private final String functionName;
    private final String region;
    private final HttpServer server;
    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    private volatile String initError;
    private final Runnable onTimeout;

    record Invocation(String requestId, String payload, long deadlineMillis, CompletableFuture<String> result) {
    }

    /** The function answered with an error (the runtime posted to /error), or did not answer in time. */
    public static final class FunctionError extends RuntimeException {
        FunctionError(String message) {
            super(message);
        }
    }

    public LambdaRuntimeApi(String functionName, String region, int port, Runnable onTimeout) throws IOException {
        this.onTimeout = onTimeout;
        this.functionName = functionName;
        this.region = region;
        this.server = LocalHttpServers.bind(port, 64);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "runtime-api-" + functionName);
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Invokes the function synchronously (RequestResponse) and returns its response payload. */
    public String invoke(String payload, Duration timeout) {
        Invocation inv = new Invocation(UUID.randomUUID().toString(), payload,
                System.currentTimeMillis() + timeout.toMillis(), new CompletableFuture<>());
        pending.add(inv);
        try {
            return inv.result().get(timeout.toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.remove(inv);
            if (inFlight.remove(inv.requestId()) != null) {
                onTimeout.run(); // the sandbox still works on it: discard it, as Lambda does
            }
            throw new FunctionError(functionName + " timed out after " + timeout.toSeconds() + " s"
                    + (initError != null ? " (init error: " + initError + ")" : ""));
        } catch (ExecutionException e) {
            throw new FunctionError(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FunctionError("interrupted");
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (!path.startsWith(PREFIX)) {
                respond(ex, 404, "{\"errorMessage\":\"unknown path\"}");
                return;
            }
            String rest = path.substring(PREFIX.length());
            byte[] body = ex.getRequestBody().readAllBytes();
            if (rest.equals("invocation/next") && ex.getRequestMethod().equals("GET")) {
                Invocation inv = nextInvocation();
                if (inv == null) {
                    respond(ex, 503, "{\"errorMessage\":\"shutting down\"}");
                    return;
                }
                inFlight.put(inv.requestId(), inv);
                ex.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", inv.requestId());
                ex.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", Long.toString(inv.deadlineMillis()));
                ex.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
                        "arn:aws:lambda:" + region + ":000000000000:function:quarry-" + functionName);
                ex.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
                ex.getResponseHeaders().add("Content-Type", "application/json");
                respond(ex, 200, inv.payload());
            } else if (rest.startsWith("invocation/") && rest.endsWith("/response")) {
                complete(rest, body, false);
                respond(ex, 202, "{\"status\":\"OK\"}");
            } else if (rest.startsWith("invocation/") && rest.endsWith("/error")) {
                complete(rest, body, true);
                respond(ex, 202, "{\"status\":\"OK\"}");
            } else if (rest.equals("init/error")) {
                initError = new String(body, StandardCharsets.UTF_8);
                respond(ex, 202, "{\"status\":\"OK\"}");
            } else {
                respond(ex, 404, "{\"errorMessage\":\"unknown path\"}");
            }
        }
    }

    private Invocation nextInvocation() {
        try {
            // Long poll as the real API does; the runtime client simply asks again.
            while (true) {
                Invocation inv = pending.poll(60, TimeUnit.SECONDS);
                if (inv != null && !inv.result().isDone()) {
                    return inv;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void complete(String rest, byte[] body, boolean error) {
        String id = rest.substring("invocation/".length(), rest.lastIndexOf('/'));
        Invocation inv = inFlight.remove(id);
        if (inv == null) {
            return;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (error) {
            inv.result().completeExceptionally(new FunctionError(functionName + " failed: " + text));
        } else {
            inv.result().complete(text);
        }
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
    }

    /** The sandbox's process ended: what it held fails now, as Lambda reports a Runtime.ExitError, not at the timeout. */
    public void runtimeExited(int exitCode) {
        FunctionError error = new FunctionError(functionName + ": Runtime exited with error: exit status " + exitCode);
        pending.forEach(i -> i.result().completeExceptionally(error));
        pending.clear();
        inFlight.values().forEach(i -> i.result().completeExceptionally(error));
        inFlight.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        pending.forEach(i -> i.result().completeExceptionally(new FunctionError("stack stopped")));
        inFlight.values().forEach(i -> i.result().completeExceptionally(new FunctionError("stack stopped")));
    }
}
