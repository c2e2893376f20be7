package dev.quarry.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.ai.answer.FakeHttpEndpoint;
import dev.quarry.core.port.Embedder;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Titan embeddings through the real SDK client: called in the deployment's region, never a default one. */
class EmbeddersTest {

    static final class FakeTitan extends FakeHttpEndpoint {
        FakeTitan() throws IOException {
        }

        @Override
        protected Reply nothingQueued() {
            return new Reply(200, Map.of(), "{\"embedding\":[0.6,0.8,0.0],\"inputTextTokenCount\":4}");
        }
    }

    @Test
    void titan_embeddings_are_signed_for_the_configured_region() throws Exception {
        try (FakeTitan titan = new FakeTitan()) {
            Embedder embedder = Embedders.create("bedrock", "amazon.titan-embed-text-v2:0", 3, Optional.empty(), "ap-southeast-2",
                    Optional.of(titan.root()), StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDQUARRYTEST", "x")));

            List<float[]> vectors = embedder.embedPassages(List.of("Inventories 5,622 5,261"));

            assertThat(vectors).singleElement().satisfies(v -> assertThat(v).containsExactly(0.6f, 0.8f, 0.0f));
            FakeHttpEndpoint.Received call = titan.received().getFirst();
            assertThat(call.path()).isEqualTo("/model/amazon.titan-embed-text-v2:0/invoke");
            assertThat(call.headers().get("Authorization")).singleElement().asString()
                    .contains("/ap-southeast-2/bedrock/aws4_request");
        }
    }

    @Test
    void bedrock_without_a_region_is_refused_instead_of_defaulting_to_us_east_1() {
        assertThatThrownBy(() -> Embedders.create("bedrock", "amazon.titan-embed-text-v2:0", 256, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quarry.region");
    }
}
