package dev.quarry.local;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the console's page viewer relies on, through the local gateway and S3 as a browser meets them:
 * GET /v1/documents/{id}/pdf hands the owner a presigned URL the bucket serves to the console's origin
 * (CORS) and to no other origin, and another tenant gets a 404.
 */
@ExtendWith(StackSession.class)
class ConsolePdfAccessIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static StackConfig config;
    private static Api owner;
    private static Api other;
    private static String doc;

    @BeforeAll
    static void upload() {
        config = StackSession.ensure();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        owner = new Api(config, "console-a-" + suffix);
        other = new Api(config, "console-b-" + suffix);
        doc = owner.upload("xspace.pdf", config.projectRoot().resolve("infra/local-stack/samples/xspace.pdf"));
        assertThat(owner.awaitTerminal(List.of(doc), Duration.ofMinutes(3)).get(doc).path("status").asText()).isEqualTo("READY");
    }

    @Test
    void the_owner_gets_a_presigned_url_that_serves_the_pdf_to_the_console_origin() throws Exception {
        Api.Response link = owner.call("GET", "/v1/documents/" + doc + "/pdf", null);
        assertThat(link.status()).isEqualTo(200);
        URI url = URI.create(link.body().path("url").asText());

        HttpResponse<byte[]> pdf = HTTP.send(HttpRequest.newBuilder(url).header("Origin", config.apiUrl()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(new String(pdf.body(), 0, 5)).isEqualTo("%PDF-");
        assertThat(pdf.headers().firstValue("Access-Control-Allow-Origin")).hasValue(config.apiUrl());

        HttpResponse<byte[]> elsewhere = HTTP.send(HttpRequest.newBuilder(url).header("Origin", "http://elsewhere.example").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(elsewhere.headers().firstValue("Access-Control-Allow-Origin")).as("no CORS grant to another origin").isEmpty();
    }

    @Test
    void the_bucket_admits_the_console_origin_for_uploads_and_reads_and_refuses_others() throws Exception {
        String object = config.s3Endpoint() + "/" + config.bucket() + "/documents/any.pdf";
        for (String method : List.of("GET", "PUT")) {
            assertThat(preflight(object, config.apiUrl(), method).statusCode()).as(method + " from the console").isEqualTo(200);
            assertThat(preflight(object, "http://elsewhere.example", method).statusCode()).as(method + " from elsewhere").isEqualTo(403);
        }
        assertThat(preflight(object, config.apiUrl(), "DELETE").statusCode()).as("DELETE from the console").isEqualTo(403);
    }

    @Test
    void another_tenant_gets_404_for_the_pdf_link() {
        Api.Response theirs = other.call("GET", "/v1/documents/" + doc + "/pdf", null);

        assertThat(theirs.status()).isEqualTo(404);
        assertThat(theirs.body().toString()).doesNotContain("X-Amz");
    }

    @Test
    void the_console_is_served_without_a_key_under_its_policy() throws Exception {
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(config.apiUrl() + "/console")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("/console/app.js");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("script-src 'self'", "connect-src 'self' " + config.s3Endpoint()).doesNotContain("unsafe-inline"));
    }

    private static HttpResponse<Void> preflight(String url, String origin, String method) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin).header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", "content-type").build(), HttpResponse.BodyHandlers.discarding());
    }

}
