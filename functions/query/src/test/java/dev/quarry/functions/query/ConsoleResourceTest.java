package dev.quarry.functions.query;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The web console as API Gateway serves it: public files from the function, under a strict CSP. */
@QuarkusTest
class ConsoleResourceTest {

    private static LambdaEvent.Reply get(String path) {
        return LambdaEvent.from("health-anonymous.json").request("GET", path).send();
    }

    @Test
    void serves_the_console_page_without_sign_in_under_a_policy_that_forbids_inline_script() {
        for (String path : new String[] {"/console", "/console/"}) {
            LambdaEvent.Reply page = get(path);

            assertThat(page.status()).as(path).isEqualTo(200);
            assertThat(page.header("Content-Type")).startsWith("text/html");
            assertThat(page.body()).contains("<script type=\"module\" src=\"/console/app.js\"></script>");
            String csp = page.header("Content-Security-Policy");
            assertThat(csp).contains("default-src 'none'", "script-src 'self';", "style-src 'self';", "frame-ancestors 'none'",
                    "base-uri 'none'");
            assertThat(csp).doesNotContain("unsafe-inline", "unsafe-eval", "*", "http:", "https: ");
            // connect-src: the API itself and the bucket the presigned URLs point at, nothing else.
            assertThat(csp).containsPattern("connect-src 'self' https://(quarry-test\\.)?s3\\.eu-west-1\\.amazonaws\\.com;");
            assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
    }

    @Test
    void the_page_itself_has_no_inline_script_or_handler() {
        String html = get("/console/").body();

        assertThat(html).doesNotContainPattern("<script(?![^>]*\\ssrc=)[^>]*>");
        assertThat(html).doesNotContainPattern("\\son[a-z]+\\s*=");
        assertThat(html).doesNotContain("style=\"", "<style");
    }

    @Test
    void serves_the_scripts_styles_and_pdf_js_from_the_function_with_etags() {
        for (String file : new String[] {"app.js", "api.js", "viewer.js", "style.css", "vendor/pdf.min.mjs", "vendor/pdf.worker.min.mjs"}) {
            LambdaEvent.Reply reply = get("/console/" + file);

            assertThat(reply.status()).as(file).isEqualTo(200);
            assertThat(reply.body()).as(file).isNotBlank();
            assertThat(reply.header("ETag")).as(file).matches("\"[0-9a-f]{32}\"");
            assertThat(reply.header("Content-Type")).as(file).startsWith(file.endsWith(".css") ? "text/css" : "application/javascript");
        }
        LambdaEvent.Reply again = LambdaEvent.from("health-anonymous.json").request("GET", "/console/app.js")
                .header("if-none-match", get("/console/app.js").header("ETag")).send();
        assertThat(again.status()).isEqualTo(304);
    }

    @Test
    void sends_scripts_gzipped_to_a_browser_that_accepts_it() throws Exception {
        LambdaEvent.Reply plain = get("/console/vendor/pdf.worker.min.mjs");
        var zipped = LambdaEvent.from("health-anonymous.json").request("GET", "/console/vendor/pdf.worker.min.mjs")
                .header("accept-encoding", "gzip, deflate, br").sendRaw();

        assertThat(zipped.path("isBase64Encoded").asBoolean()).isTrue();
        var names = zipped.path("headers").fieldNames();
        String encoding = null;
        while (names.hasNext()) {
            String name = names.next();
            if (name.equalsIgnoreCase("Content-Encoding")) {
                encoding = zipped.path("headers").path(name).asText();
            }
        }
        assertThat(encoding).isEqualTo("gzip");
        byte[] body = java.util.Base64.getDecoder().decode(zipped.path("body").asText());
        assertThat(body.length).as("compressed size").isLessThan(plain.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length / 2);
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(plain.body());
        }
        assertThat(plain.header("Content-Encoding")).isNull();
    }

    @Test
    void serves_nothing_but_the_console_files() {
        for (String path : new String[] {"/console/application.properties", "/console/../application.properties",
                "/console/vendor/pdf.mjs", "/console/package.json", "/console/%2e%2e/opensearch/chunks.json"}) {
            assertThat(get(path).status()).as(path).isIn(400, 404);
        }
    }

    @Test
    void the_openapi_document_has_the_pdf_link_and_not_the_console() {
        String openapi = LambdaEvent.from("openapi-anonymous.json").send().body();

        assertThat(openapi).contains("/v1/documents/{documentId}/pdf").doesNotContain("/console");
    }

    @Test
    void tells_the_console_to_ask_for_an_api_key_when_no_cognito_client_is_configured() {
        LambdaEvent.Reply config = get("/console/config.json");

        assertThat(config.status()).isEqualTo(200);
        assertThat(config.json().path("signIn").path("mode").asText()).isEqualTo("api-key");
        assertThat(config.json().path("maxUploadBytes").asLong()).isPositive();
    }
}
