package dev.quarry.local;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The local gateway serves without a key what Terraform's public routes serve (api.tf), nothing more. */
class HttpApiGatewayTest {

    @Test
    void serves_health_openapi_and_the_console_files_without_a_key() {
        for (String path : List.of("/console", "/console/", "/console/app.js", "/console/vendor/pdf.min.mjs", "/v1/health", "/q/openapi")) {
            assertThat(HttpApiGateway.isPublic("GET", path)).as("GET " + path).isTrue();
        }
    }

    @Test
    void everything_else_needs_a_key() {
        for (String[] route : new String[][] {{"POST", "/console/app.js"}, {"DELETE", "/console"}, {"GET", "/consoles"},
                {"GET", "/v1/documents"}, {"GET", "/v1/documents/0123456789abcdef01234567/pdf"}, {"POST", "/v1/query"}}) {
            assertThat(HttpApiGateway.isPublic(route[0], route[1])).as(route[0] + " " + route[1]).isFalse();
        }
    }
}
