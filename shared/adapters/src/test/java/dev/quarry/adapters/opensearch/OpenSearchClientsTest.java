package dev.quarry.adapters.opensearch;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SigV4 client's endpoint rules; the signed requests themselves are checked in SigV4OpenSearchIT. */
class OpenSearchClientsTest {

    @Test
    void sigv4_refuses_a_plain_http_endpoint_instead_of_silently_calling_https_on_port_443() {
        // AwsSdk2Transport always speaks TLS to the host it is given: http://127.0.0.1:9200 would become https://127.0.0.1.
        assertThatThrownBy(() -> OpenSearchClients.sigV4("http://127.0.0.1:9200", "eu-west-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDQUARRYTEST", "x"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("quarry.opensearch.endpoint must be an https:// URL")
                .hasMessageContaining("http://127.0.0.1:9200");
    }
}
