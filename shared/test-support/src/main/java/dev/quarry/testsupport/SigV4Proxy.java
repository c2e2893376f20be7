package dev.quarry.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The front door of an AWS service, on a random local port, in front of a local server that speaks the
 * service's API (the real OpenSearch, a Bedrock fake): every request must carry a valid SigV4 signature
 * for this service name, region and set of credentials ({@link SigV4Check}, which signs again with the
 * AWS SDK's own signer). A refused request gets a 403 with the error type in {@code x-amzn-ErrorType}
 * and a JSON {@code message}, as AWS answers, and never reaches the server; a valid one is forwarded
 * with its headers and body, and the server's answer is streamed back.
 *
 * <p>With {@link Builder#https(boolean) https} it serves TLS with a self-signed certificate for
 * 127.0.0.1 made for this JVM (clients that always speak TLS, such as opensearch-java's
 * {@code AwsSdk2Transport}, need it); {@link #trustStore()} holds that certificate.
 */
public final class SigV4Proxy implements AutoCloseable {
    /** The password of {@link #trustStore()}. */
    public static final String TRUST_STORE_PASSWORD = "quarry-test";
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");
    private static final Set<String> NOT_RETURNED = Set.of("connection", "content-length", "transfer-encoding", "keep-alive");
    private static volatile TlsMaterial tls;

    static {
        // Answers go out in one segment instead of waiting for a delayed ACK (DESIGN: every connection sets TCP_NODELAY).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /**
     * One request the proxy received: refused (403, with the reason), or forwarded (the server's status), or
     * neither when the server could not be reached (502).
     */
    public record Call(String method, String path, int status, Optional<SigV4Check.Refusal> refusal, boolean forwarded) {
    }

    private final URI upstream;
    private final SigV4Check check;
    private final boolean https;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    private SigV4Proxy(Builder b) throws IOException {
        this.upstream = b.upstream;
        this.https = b.https;
        this.check = new SigV4Check(b.service, b.region, b.credentials, b.clock);
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (https) {
            HttpsServer s = HttpsServer.create(address, 0);
            s.setHttpsConfigurator(new HttpsConfigurator(tls().serverContext()));
            server = s;
        } else {
            server = HttpServer.create(address, 0);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A proxy in front of {@code upstream} (scheme, host and port; its path is ignored). */
    public static Builder builder(URI upstream) {
        return new Builder(upstream);
    }

    public static final class Builder {
        private final URI upstream;
        private String service;
        private String region;
        private AwsCredentialsIdentity credentials;
        private boolean https;
        private Clock clock = Clock.systemUTC();

        private Builder(URI upstream) {
            this.upstream = upstream;
        }

        /** The signing name of the service: {@code es} for OpenSearch Service, {@code bedrock} for Bedrock. */
        public Builder service(String service) {
            this.service = service;
            return this;
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** The only credentials whose signatures are accepted. */
        public Builder credentials(AwsCredentialsIdentity credentials) {
            this.credentials = credentials;
            return this;
        }

        public Builder https(boolean https) {
            this.https = https;
            return this;
        }

        /** The service's clock, against which the request's X-Amz-Date is judged. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public SigV4Proxy start() throws IOException {
            if (service == null || region == null || credentials == null) {
                throw new IllegalStateException("A SigV4 proxy needs a service name, a region and credentials");
            }
            return new SigV4Proxy(this);
        }
    }

    /** http(s)://127.0.0.1:port, without a trailing slash. */
    public String endpoint() {
        return (https ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every request received so far, in order. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> refused() {
        return calls.stream().filter(c -> c.refusal().isPresent()).toList();
    }

    public List<Call> forwarded() {
        return calls.stream().filter(Call::forwarded).toList();
    }

    /** A PKCS12 trust store ({@link #TRUST_STORE_PASSWORD}) holding the certificate the HTTPS proxies of this JVM serve. */
    public static Path trustStore() {
        return tls().trustStore();
    }

    /** A client TLS context that trusts the HTTPS proxies of this JVM and nothing else. */
    public static SSLContext clientContext() {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(trustStore())) {
                trusted.load(in, TRUST_STORE_PASSWORD.toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read the proxy's trust store", e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            byte[] body = exchange.getRequestBody().readAllBytes();
            SigV4Check.Received received = new SigV4Check.Received(exchange.getRequestMethod(), https ? "https" : "http",
                    uri.getRawPath(), uri.getRawQuery(), exchange.getRequestHeaders(), body);
            Optional<SigV4Check.Refusal> refusal = check.check(received);
            if (refusal.isPresent()) {
                calls.add(new Call(received.method(), uri.getPath(), 403, refusal, false));
                refuse(exchange, refusal.get());
                return;
            }
            forward(exchange, received, uri.getPath());
        } catch (IOException | RuntimeException e) {
            calls.add(new Call(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), 502, Optional.empty(), false));
            if (exchange.getResponseCode() == -1) {
                byte[] body = ("{\"message\":" + jsonString("The proxy could not reach " + upstream + ": " + e) + "}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(502, body.length);
                exchange.getResponseBody().write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Forwards a valid request and streams the answer back; the call is recorded before the client can see its answer. */
    private void forward(HttpExchange exchange, SigV4Check.Received r, String path) throws IOException, InterruptedException {
        String target = upstream.getScheme() + "://" + upstream.getRawAuthority() + r.rawPath() + (r.rawQuery() == null ? "" : "?" + r.rawQuery());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(120))
                .method(r.method(), r.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(r.body()));
        r.headers().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":") && !NOT_RETURNED.contains(name.toLowerCase(Locale.ROOT))) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        int status = response.statusCode();
        calls.add(new Call(r.method(), path, status, Optional.empty(), true));
        boolean noBody = r.method().equals("HEAD") || status == 204 || status == 304;
        long length = response.headers().firstValueAsLong("content-length").orElse(-1);
        // 0 asks the server for chunked encoding, -1 for no body at all.
        exchange.sendResponseHeaders(status, noBody || length == 0 ? -1 : Math.max(length, 0));
        try (InputStream in = response.body(); OutputStream out = exchange.getResponseBody()) {
            if (!noBody) {
                in.transferTo(out);
            }
        }
    }

    private static void refuse(HttpExchange exchange, SigV4Check.Refusal refusal) throws IOException {
        byte[] body = ("{\"message\":" + jsonString(refusal.message()) + "}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("x-amzn-ErrorType", refusal.errorType());
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(403, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** {@code text} as a JSON string literal, quoted and escaped by Jackson. */
    private static String jsonString(String text) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(text).toString();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        client.close();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static TlsMaterial tls() {
        TlsMaterial t = tls;
        if (t == null) {
            synchronized (SigV4Proxy.class) {
                if (tls == null) {
                    tls = TlsMaterial.create();
                }
                t = tls;
            }
        }
        return t;
    }

    /** A key pair and self-signed certificate for 127.0.0.1 and localhost, made by the JDK's keytool once per JVM. */
    private record TlsMaterial(SSLContext serverContext, Path trustStore) {
        static TlsMaterial create() {
            try {
                Path dir = Files.createTempDirectory("quarry-sigv4-proxy");
                Path keyStore = dir.resolve("proxy.p12");
                Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
                Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "proxy", "-keyalg", "EC",
                        "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost",
                        "-validity", "30", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                        "-storepass", TRUST_STORE_PASSWORD, "-keypass", TRUST_STORE_PASSWORD)
                        .redirectErrorStream(true).start();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException(keytool + " could not make the proxy's certificate: " + output);
                }
                char[] password = TRUST_STORE_PASSWORD.toCharArray();
                KeyStore keys = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(keyStore)) {
                    keys.load(in, password);
                }
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, password);
                SSLContext server = SSLContext.getInstance("TLS");
                server.init(kmf.getKeyManagers(), null, null);

                KeyStore trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                trusted.setCertificateEntry("quarry-sigv4-proxy", keys.getCertificate("proxy"));
                Path trustStore = dir.resolve("trust.p12");
                try (OutputStream out = Files.newOutputStream(trustStore)) {
                    trusted.store(out, password);
                }
                Files.delete(keyStore);
                dir.toFile().deleteOnExit();
                trustStore.toFile().deleteOnExit();
                return new TlsMaterial(server, trustStore);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("Cannot make the SigV4 proxy's TLS certificate", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
