package dev.quarry.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * S3 endpoint of the local stack: forwards every request to S3Mock unchanged and, for each object
 * written or deleted by any client, sends the S3 event notification JSON that AWS would send to every
 * queue the bucket's notification configuration names, so the pipeline is driven by S3 events
 * locally just as in AWS.
 */
final class S3NotifyingProxy implements AutoCloseable {
    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive", "date");
    private static final Pattern DELETED_KEY = Pattern.compile("<Deleted>\\s*<Key>(.*?)</Key>", Pattern.DOTALL);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String upstream;
    private final String region;
    private final BucketNotifications notifications;
    private final BiConsumer<String, String> sendToQueue; // (queue, notification JSON)
    private final AtomicLong sequencer = new AtomicLong(System.currentTimeMillis() * 1000);
    private final BucketCors cors = new BucketCors();

    S3NotifyingProxy(int port, String upstream, String region, BucketNotifications notifications,
            BiConsumer<String, String> sendToQueue) throws IOException {
        this.upstream = upstream;
        this.region = region;
        this.notifications = notifications;
        this.sendToQueue = sendToQueue;
        this.server = LocalHttpServers.bind(port, 128);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "s3-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            URI uri = ex.getRequestURI();
            byte[] body = ex.getRequestBody().readAllBytes();
            String bucket = bucketOf(uri);
            if (method.equals("OPTIONS")) {
                answer(ex, cors.preflight(bucket, ex.getRequestHeaders()));
                return;
            }
            if (expired(parseQuery(uri.getRawQuery() == null ? "" : uri.getRawQuery()), Instant.now())) {
                // S3Mock ignores presigned signatures and their expiry; S3 refuses an expired URL.
                answer(ex, new BucketCors.Answer(403, Map.of("Content-Type", "application/xml"),
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"));
                return;
            }
            if (parseQuery(uri.getRawQuery() == null ? "" : uri.getRawQuery()).containsKey("cors") && !bucket.isEmpty()
                    && uri.getRawPath().length() <= bucket.length() + 2) {
                answer(ex, cors.configure(method, bucket, body));
                return;
            }
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(upstream + uri.getRawPath()
                            + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "")))
                    .timeout(Duration.ofMinutes(5))
                    .method(method, body.length == 0 && !method.equals("PUT") && !method.equals("POST")
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            ex.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> req.header(name, v));
                }
            });
            HttpResponse<byte[]> resp;
            try {
                resp = client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            resp.headers().map().forEach((name, values) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                // CORS headers come from the bucket's CORS rules alone, never from S3Mock.
                if ((!HOP_HEADERS.contains(lower) || (lower.equals("content-length") && method.equals("HEAD")))
                        && !lower.startsWith("access-control-") && !lower.equals("vary")) {
                    values.forEach(v -> ex.getResponseHeaders().add(name, v));
                }
            });
            cors.responseHeaders(bucket, ex.getRequestHeaders().getFirst("Origin"), method).forEach(ex.getResponseHeaders()::set);
            byte[] out = resp.body();
            ex.sendResponseHeaders(resp.statusCode(), out.length == 0 || method.equals("HEAD") ? -1 : out.length);
            if (out.length > 0 && !method.equals("HEAD")) {
                ex.getResponseBody().write(out);
            }
            if (resp.statusCode() / 100 == 2) {
                emitNotifications(method, uri, ex.getRequestHeaders().getFirst("x-amz-copy-source") != null, body, out);
            }
        } catch (RuntimeException e) {
            System.err.println("s3 proxy: " + e);
        }
    }

    /** A presigned URL (X-Amz-Date + X-Amz-Expires seconds) used after its expiry. */
    static boolean expired(Map<String, String> params, Instant now) {
        String date = params.get("X-Amz-Date");
        String expires = params.get("X-Amz-Expires");
        if (date == null || expires == null) {
            return false;
        }
        try {
            Instant signed = java.time.LocalDateTime.parse(date, java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
                    .toInstant(java.time.ZoneOffset.UTC);
            return now.isAfter(signed.plusSeconds(Long.parseLong(expires)));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String bucketOf(URI uri) {
        String path = uri.getRawPath();
        int slash = path.indexOf('/', 1);
        return URLDecoder.decode(slash < 0 ? path.substring(1) : path.substring(1, slash), StandardCharsets.UTF_8);
    }

    private static void answer(HttpExchange ex, BucketCors.Answer answer) throws IOException {
        answer.headers().forEach(ex.getResponseHeaders()::set);
        byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            ex.getResponseBody().write(out);
        }
    }

    private void emitNotifications(String method, URI uri, boolean copy, byte[] requestBody, byte[] responseBody) {
        String path = uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        int slash = path.indexOf('/', 1);
        String bucket = URLDecoder.decode(slash < 0 ? path.substring(1) : path.substring(1, slash), StandardCharsets.UTF_8);
        String key = slash < 0 ? "" : URLDecoder.decode(path.substring(slash + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
        Map<String, String> params = parseQuery(query);
        if (key.isEmpty()) {
            if (method.equals("POST") && params.containsKey("delete")) {
                Matcher m = DELETED_KEY.matcher(new String(responseBody, StandardCharsets.UTF_8));
                while (m.find()) {
                    send(bucket, xmlUnescape(m.group(1)), "ObjectRemoved:Delete", null);
                }
            }
            return;
        }
        if (method.equals("PUT") && !params.containsKey("partNumber") && !params.containsKey("tagging")
                && !params.containsKey("acl") && !params.containsKey("retention") && !params.containsKey("legal-hold")) {
            send(bucket, key, copy ? "ObjectCreated:Copy" : "ObjectCreated:Put", head(bucket, key));
        } else if (method.equals("POST") && params.containsKey("uploadId")) {
            send(bucket, key, "ObjectCreated:CompleteMultipartUpload", head(bucket, key));
        } else if (method.equals("DELETE") && !params.containsKey("uploadId") && !params.containsKey("tagging")) {
            send(bucket, key, "ObjectRemoved:Delete", null);
        }
    }

    /** Size and eTag of the object as stored, read back from S3Mock. */
    private HttpResponse<Void> head(String bucket, String key) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(upstream + "/" + pathEncode(bucket) + "/" + pathEncodeKey(key)))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void send(String bucket, String key, String eventName, HttpResponse<Void> head) {
        List<String> queues = notifications.destinations(key, eventName);
        if (queues.isEmpty()) {
            return;
        }
        ObjectNode root = JSON.createObjectNode();
        ArrayNode records = root.putArray("Records");
        ObjectNode r = records.addObject();
        r.put("eventVersion", "2.1");
        r.put("eventSource", "aws:s3");
        r.put("awsRegion", region);
        r.put("eventTime", Instant.now().toString());
        r.put("eventName", eventName);
        r.putObject("userIdentity").put("principalId", "local");
        r.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
        r.putObject("responseElements").put("x-amz-request-id", Long.toHexString(sequencer.get()));
        ObjectNode s3 = r.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", "quarry-local");
        ObjectNode b = s3.putObject("bucket");
        b.put("name", bucket);
        b.putObject("ownerIdentity").put("principalId", "local");
        b.put("arn", "arn:aws:s3:::" + bucket);
        ObjectNode o = s3.putObject("object");
        o.put("key", encodeKey(key));
        if (head != null && head.statusCode() == 200) {
            o.put("size", head.headers().firstValueAsLong("content-length").orElse(0));
            o.put("eTag", head.headers().firstValue("etag").orElse("").replace("\"", ""));
            head.headers().firstValue("x-amz-version-id").ifPresent(v -> o.put("versionId", v));
        }
        o.put("sequencer", String.format("%016X", sequencer.incrementAndGet()));
        String json = root.toString();
        queues.forEach(queue -> sendToQueue.accept(queue, json));
    }

    /** S3 notifications carry keys form-encoded ('+' for space), with '/' kept. */
    static String encodeKey(String key) {
        List<String> parts = new ArrayList<>();
        for (String segment : key.split("/", -1)) {
            parts.add(encode(segment));
        }
        return String.join("/", parts);
    }

    private static String pathEncodeKey(String key) {
        List<String> parts = new ArrayList<>();
        for (String segment : key.split("/", -1)) {
            parts.add(pathEncode(segment));
        }
        return String.join("/", parts);
    }

    private static String pathEncode(String s) {
        return encode(s).replace("+", "%20");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Map<String, String> parseQuery(String query) {
        Map<String, String> params = new java.util.HashMap<>();
        for (String p : query.split("&")) {
            if (!p.isEmpty()) {
                int eq = p.indexOf('=');
                params.put(eq < 0 ? p : p.substring(0, eq), eq < 0 ? "" : p.substring(eq + 1));
            }
        }
        return params;
    }

    private static String xmlUnescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
