package dev.quarry.testsupport;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SigV4 proxy against requests signed by the AWS SDK's signer: the valid one reaches the server behind
 * it, and each way of getting the signature wrong is refused with a 403 before it gets there.
 */
class SigV4ProxyTest {
    private static final String REGION = "eu-central-1";
    private static final AwsCredentialsIdentity KEYS = AwsCredentialsIdentity.create("AKIDQUARRYTEST", "proxy-test-secret");
    private static final String BODY = "{\"query\":{\"match\":{\"text\":\"impeller\"}}}";

    /** What the server behind the proxy received. */
    private record Seen(String method, String path, String query, String body, Map<String, List<String>> headers) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private HttpServer upstream;
    private SigV4Proxy proxy;

    @BeforeEach
    void start() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(),
                    body, Map.copyOf(exchange.getRequestHeaders())));
            byte[] answer = ("{\"took\":1,\"echo\":" + body.length() + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("X-Upstream", "opensearch");
            int status = exchange.getRequestURI().getPath().endsWith("/missing") ? 404 : 200;
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        upstream.start();
        proxy = proxy(false, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        proxy.close();
        upstream.stop(0);
    }

    private SigV4Proxy proxy(boolean https, Clock clock) throws IOException {
        return SigV4Proxy.builder(URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()))
                .service("es").region(REGION).credentials(KEYS).https(https).clock(clock).start();
    }

    @Test
    void forwards_a_request_signed_by_the_sdk_signer_and_returns_the_servers_answer() throws Exception {
        String path = "/quarry-chunks/_search?routing=acme%2Fcorp&q=pump%20valve&size=5";

        HttpResponse<String> response = send(Signing.of(proxy.endpoint() + path, BODY));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"took\":1,\"echo\":" + BODY.length() + "}");
        assertThat(response.headers().firstValue("X-Upstream")).contains("opensearch");
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.method()).isEqualTo("POST");
            assertThat(s.path()).isEqualTo("/quarry-chunks/_search");
            assertThat(s.query()).isEqualTo("routing=acme%2Fcorp&q=pump%20valve&size=5");
            assertThat(s.body()).isEqualTo(BODY);
            assertThat(s.headers().get("Content-type")).containsExactly("application/json");
        });
        assertThat(proxy.forwarded()).singleElement().satisfies(c -> assertThat(c.status()).isEqualTo(200));
        assertThat(proxy.refused()).isEmpty();
    }

    @Test
    void passes_the_servers_error_status_through() throws Exception {
        HttpResponse<String> response = send(Signing.of(proxy.endpoint() + "/quarry-chunks/_doc/missing", null).method("GET"));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(seen).hasSize(1);
    }

    @Test
    void refuses_an_unsigned_request_with_missing_authentication_token() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(proxy.endpoint() + "/quarry-chunks/_search"))
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());

        assertRefused(response, "MissingAuthenticationTokenException", "Missing Authentication Token");
    }

    @Test
    void refuses_a_signature_made_with_another_secret() throws Exception {
        Signing wrongSecret = Signing.of(proxy.endpoint() + "/quarry-chunks/_search", BODY)
                .keys(AwsCredentialsIdentity.create(KEYS.accessKeyId(), "not-the-secret"));

        assertRefused(send(wrongSecret), "InvalidSignatureException", "signature we calculated does not match");
    }

    @Test
    void refuses_an_access_key_it_does_not_know() throws Exception {
        Signing otherKey = Signing.of(proxy.endpoint() + "/quarry-chunks/_search", BODY)
                .keys(AwsCredentialsIdentity.create("AKIDSOMEONEELSE", KEYS.secretAccessKey()));

        assertRefused(send(otherKey), "UnrecognizedClientException", "security token included in the request is invalid");
    }

    @Test
    void refuses_a_signature_scoped_to_another_region() throws Exception {
        assertRefused(send(Signing.of(proxy.endpoint() + "/quarry-chunks/_search", BODY).region("us-east-1")),
                "InvalidSignatureException", "scoped to a valid region, not 'us-east-1'");
    }

    @Test
    void refuses_a_signature_for_another_service() throws Exception {
        assertRefused(send(Signing.of(proxy.endpoint() + "/quarry-chunks/_search", BODY).service("bedrock")),
                "InvalidSignatureException", "scoped to correct service: 'es'");
    }

    @Test
    void refuses_a_body_changed_after_signing() throws Exception {
        Signing tampered = Signing.of(proxy.endpoint() + "/quarry-chunks/_search", BODY)
                .sentBody(BODY.replace("impeller", "salaries"));

        assertRefused(send(tampered), "InvalidSignatureException", "'x-amz-content-sha256' header does not match");
    }

    @Test
    void refuses_a_body_whose_content_hash_header_was_changed_to_match_it() throws Exception {
        String other = BODY.replace("impeller", "salaries");
        Signing tampered = Signing.of(proxy.endpoint() + "/quarry-chunks/_search", BODY).sentBody(other)
                .sentHeaders(h -> h.putHeader("x-amz-content-sha256", SigV4Check.sha256Hex(other.getBytes(StandardCharsets.UTF_8))));

        assertRefused(send(tampered), "InvalidSignatureException", "signature we calculated does not match");
    }

    @Test
    void refuses_a_request_sent_to_another_path_than_the_one_signed() throws Exception {
        Signing signed = Signing.of(proxy.endpoint() + "/tenant-a/_search", BODY);

        assertRefused(send(signed.sentTo(proxy.endpoint() + "/tenant-b/_search")), "InvalidSignatureException",
                "signature we calculated does not match");
    }

    @Test
    void refuses_an_authorization_that_does_not_sign_the_host() throws Exception {
        Signing hostless = Signing.of(proxy.endpoint() + "/quarry-chunks/_search", BODY).sentHeaders(h -> h.putHeader("Authorization",
                h.firstMatchingHeader("Authorization").orElseThrow().replace("SignedHeaders=content-type;host;", "SignedHeaders=content-type;")));

        assertRefused(send(hostless), "InvalidSignatureException", "'host' must be a 'SignedHeader'");
    }

    @Test
    void refuses_a_signature_older_than_five_minutes_and_accepts_one_of_four() throws Exception {
        Clock now = Clock.systemUTC();
        String url = proxy.endpoint() + "/quarry-chunks/_search";

        assertRefused(send(Signing.of(url, BODY).clock(Clock.offset(now, Duration.ofMinutes(-6)))),
                "InvalidSignatureException", "Signature expired");
        assertRefused(send(Signing.of(url, BODY).clock(Clock.offset(now, Duration.ofMinutes(6)))),
                "InvalidSignatureException", "Signature not yet current");
        assertThat(send(Signing.of(url, BODY).clock(Clock.offset(now, Duration.ofMinutes(-4)))).statusCode()).isEqualTo(200);
    }

    @Test
    void accepts_an_unsigned_payload_over_https_only() throws Exception {
        try (SigV4Proxy tls = proxy(true, Clock.systemUTC())) {
            HttpClient trusting = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(SigV4Proxy.clientContext()).build();
            Signing overTls = Signing.of(tls.endpoint() + "/quarry-chunks/_search", BODY).unsignedPayload();
            assertThat(overTls.signed().request().firstMatchingHeader("x-amz-content-sha256")).contains(SigV4Check.UNSIGNED_PAYLOAD);

            HttpResponse<String> response = trusting.send(overTls.request(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(seen).extracting(Seen::body).containsExactly(BODY);
        }
        seen.clear();

        // The SDK signs the payload over HTTP whatever it is told; sign as for HTTPS, then send over HTTP.
        String url = proxy.endpoint() + "/quarry-chunks/_search";
        Signing unsignedOverHttp = Signing.of(url.replace("http://", "https://"), BODY).unsignedPayload().sentTo(url);
        assertRefused(send(unsignedOverHttp), "InvalidSignatureException", "UNSIGNED-PAYLOAD is accepted over HTTPS only");
    }

    private HttpResponse<String> send(Signing signing) throws Exception {
        return http.send(signing.request(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertRefused(HttpResponse<String> response, String errorType, String message) {
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).contains(errorType);
        assertThat(response.body()).startsWith("{\"message\":\"").contains(message);
        assertThat(seen).as("nothing reaches the server behind the proxy").isEmpty();
        assertThat(proxy.refused()).last().satisfies(c -> assertThat(c.refusal()).hasValueSatisfying(
                r -> assertThat(r.errorType()).isEqualTo(errorType)));
    }

    /** A request signed by the AWS SDK's signer, then optionally changed before it is sent. */
    private record Signing(String method, String url, String body, AwsCredentialsIdentity keys, String region, String service,
            Clock clock, Boolean payloadSigning, String sentTo, String sentBody, UnaryOperator<SdkHttpRequest.Builder> sentHeaders) {

        static Signing of(String url, String body) {
            return new Signing("POST", url, body, KEYS, REGION, "es", Clock.systemUTC(), null, null, null, h -> h);
        }

        Signing method(String m) {
            return new Signing(m, url, body, keys, region, service, clock, payloadSigning, sentTo, sentBody, sentHeaders);
        }

        Signing keys(AwsCredentialsIdentity k) {
            return new Signing(method, url, body, k, region, service, clock, payloadSigning, sentTo, sentBody, sentHeaders);
        }

        Signing region(String r) {
            return new Signing(method, url, body, keys, r, service, clock, payloadSigning, sentTo, sentBody, sentHeaders);
        }

        Signing service(String s) {
            return new Signing(method, url, body, keys, region, s, clock, payloadSigning, sentTo, sentBody, sentHeaders);
        }

        Signing clock(Clock c) {
            return new Signing(method, url, body, keys, region, service, c, payloadSigning, sentTo, sentBody, sentHeaders);
        }

        Signing unsignedPayload() {
            return new Signing(method, url, body, keys, region, service, clock, false, sentTo, sentBody, sentHeaders);
        }

        Signing sentTo(String u) {
            return new Signing(method, url, body, keys, region, service, clock, payloadSigning, u, sentBody, sentHeaders);
        }

        Signing sentBody(String b) {
            return new Signing(method, url, body, keys, region, service, clock, payloadSigning, sentTo, b, sentHeaders);
        }

        Signing sentHeaders(UnaryOperator<SdkHttpRequest.Builder> change) {
            return new Signing(method, url, body, keys, region, service, clock, payloadSigning, sentTo, sentBody, change);
        }

        SignedRequest signed() {
            SdkHttpRequest.Builder request = SdkHttpRequest.builder().uri(URI.create(url)).method(SdkHttpMethod.fromValue(method));
            if (body != null) {
                request.putHeader("Content-Type", "application/json");
            }
            return AwsV4HttpSigner.create().sign(r -> {
                r.identity(keys).request(request.build())
                        .payload(body == null ? null : ContentStreamProvider.fromUtf8String(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock);
                if (payloadSigning != null) {
                    r.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, payloadSigning);
                }
            });
        }

        HttpRequest request() {
            SdkHttpRequest headers = sentHeaders.apply(signed().request().toBuilder()).build();
            String b = sentBody != null ? sentBody : body;
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sentTo != null ? sentTo : url))
                    .method(method, b == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(b));
            // HttpClient sets Host itself, to the same host:port the signer saw in the URL.
            headers.forEachHeader((name, values) -> {
                if (!name.equalsIgnoreCase("Host")) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            return request.build();
        }
    }
}
