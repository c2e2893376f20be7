package dev.quarry.local;

import com.sun.net.httpserver.Headers;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The local S3's bucket CORS answers as S3 does: only what the bucket's rules allow. */
class BucketCorsTest {
    private static final String CONSOLE = "http://127.0.0.1:8080";
    private static final byte[] RULES = """
            <?xml version="1.0" encoding="UTF-8"?>
            <CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CORSRule>
              <AllowedHeader>content-type</AllowedHeader><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod>
              <AllowedOrigin>http://127.0.0.1:8080</AllowedOrigin><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3600</MaxAgeSeconds>
            </CORSRule></CORSConfiguration>""".getBytes(StandardCharsets.UTF_8);

    private static Headers preflight(String origin, String method, String headers) {
        Headers h = new Headers();
        h.add("Origin", origin);
        h.add("Access-Control-Request-Method", method);
        if (headers != null) {
            h.add("Access-Control-Request-Headers", headers);
        }
        return h;
    }

    @Test
    void a_bucket_without_rules_refuses_every_cross_origin_request() {
        BucketCors cors = new BucketCors();

        assertThat(cors.preflight("quarry-local", preflight(CONSOLE, "PUT", "content-type")).status()).isEqualTo(403);
        assertThat(cors.responseHeaders("quarry-local", CONSOLE, "GET")).isEmpty();
        assertThat(cors.configure("GET", "quarry-local", new byte[0]).status()).isEqualTo(404);
    }

    @Test
    void allows_the_configured_origin_methods_and_headers_only() {
        BucketCors cors = new BucketCors();
        assertThat(cors.configure("PUT", "quarry-local", RULES).status()).isEqualTo(200);

        BucketCors.Answer ok = cors.preflight("quarry-local", preflight(CONSOLE, "PUT", "Content-Type"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.headers()).containsEntry("Access-Control-Allow-Origin", CONSOLE).containsEntry("Access-Control-Max-Age", "3600");
        assertThat(ok.headers().get("Access-Control-Allow-Methods")).contains("PUT");

        assertThat(cors.preflight("quarry-local", preflight("http://evil.example", "PUT", "content-type")).status()).isEqualTo(403);
        assertThat(cors.preflight("quarry-local", preflight(CONSOLE, "DELETE", null)).status()).isEqualTo(403);
        assertThat(cors.preflight("quarry-local", preflight(CONSOLE, "PUT", "content-type, x-amz-acl")).status()).isEqualTo(403);
        assertThat(cors.preflight("other-bucket", preflight(CONSOLE, "GET", null)).status()).isEqualTo(403);

        assertThat(cors.responseHeaders("quarry-local", CONSOLE, "GET"))
                .containsEntry("Access-Control-Allow-Origin", CONSOLE).containsEntry("Access-Control-Expose-Headers", "ETag");
        assertThat(cors.responseHeaders("quarry-local", "http://evil.example", "GET")).isEmpty();
        assertThat(cors.responseHeaders("quarry-local", null, "GET")).isEmpty();
    }

    @Test
    void rejects_malformed_rules_and_forgets_deleted_ones() {
        BucketCors cors = new BucketCors();
        assertThat(cors.configure("PUT", "quarry-local", "<CORSConfiguration/>".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(400);
        cors.configure("PUT", "quarry-local", RULES);

        assertThat(cors.configure("DELETE", "quarry-local", new byte[0]).status()).isEqualTo(204);

        assertThat(cors.preflight("quarry-local", preflight(CONSOLE, "GET", null)).status()).isEqualTo(403);
    }
}
