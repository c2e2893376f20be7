package dev.quarry.ai;

import dev.quarry.config.EmbeddingProvider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.testsupport.FakeHttpEndpoint;
import dev.quarry.core.port.Embedder;
import dev.quarry.testsupport.SigV4Proxy;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import dev.quarry.core.port.ModelUsage;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Titan embeddings through the real SDK client, behind a proxy that checks each call's SigV4 signature as
 * Bedrock does: called in the deployment's region, never a default one.
 */
class EmbeddersTest {
    private static final AwsBasicCredentials KEYS = AwsBasicCredentials.create("AKIDQUARRYTEST", "x");

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
        try (FakeTitan titan = new FakeTitan(); SigV4Proxy bedrock = bedrockIn("ap-southeast-2", titan)) {
            Embedder embedder = titan(bedrock, "ap-southeast-2", KEYS);

            List<float[]> vectors = embedder.embedPassages(List.of("Inventories 5,622 5,261"));

            assertThat(vectors).singleElement().satisfies(v -> assertThat(v).containsExactly(0.6f, 0.8f, 0.0f));
            assertThat(bedrock.forwarded()).as("signed validly for bedrock in ap-southeast-2").hasSize(1);
            FakeHttpEndpoint.Received call = titan.received().getFirst();
            assertThat(call.path()).isEqualTo("/model/amazon.titan-embed-text-v2:0/invoke");
            assertThat(call.headers().get("Authorization")).singleElement().asString()
                    .contains("/ap-southeast-2/bedrock/aws4_request");
        }
    }

    @Test
    void the_tokens_titan_reports_are_metered_and_a_repeated_question_costs_none() throws Exception {
        try (FakeTitan titan = new FakeTitan(); SigV4Proxy bedrock = bedrockIn("ap-southeast-2", titan)) {
            Embedder embedder = titan(bedrock, "ap-southeast-2", KEYS);

            ModelUsage.Tokens used;
            try (ModelUsage.Meter meter = ModelUsage.start()) {
                embedder.embedPassages(List.of("Inventories 5,622 5,261", "Total assets 40,000"));
                embedder.embedQuery("What were the inventories?");
                embedder.embedQuery("What were the inventories?");
                used = meter.tokens();
            }

            assertThat(titan.received()).as("the repeated question is not sent again").hasSize(3);
            assertThat(used).as("4 tokens per call, as the fake Titan reports").isEqualTo(new ModelUsage.Tokens(12, 0, 0));
        }
    }

    @Test
    void titan_calls_signed_with_another_secret_or_for_another_region_never_reach_the_model() throws Exception {
        try (FakeTitan titan = new FakeTitan(); SigV4Proxy bedrock = bedrockIn("ap-southeast-2", titan)) {
            Embedder wrongSecret = titan(bedrock, "ap-southeast-2", AwsBasicCredentials.create(KEYS.accessKeyId(), "another-secret"));
            Embedder wrongRegion = titan(bedrock, "us-east-1", KEYS);

            assertThatThrownBy(() -> wrongSecret.embedPassages(List.of("Inventories 5,622 5,261"))).isInstanceOf(RuntimeException.class);
            assertThatThrownBy(() -> wrongRegion.embedPassages(List.of("Inventories 5,622 5,261"))).isInstanceOf(RuntimeException.class);

            assertThat(titan.received()).isEmpty();
            assertThat(bedrock.refused()).extracting(c -> c.refusal().orElseThrow().message())
                    .anySatisfy(m -> assertThat(m).contains("signature we calculated does not match"))
                    .anySatisfy(m -> assertThat(m).contains("scoped to a valid region, not 'us-east-1'"));
        }
    }

    private static SigV4Proxy bedrockIn(String region, FakeTitan titan) throws IOException {
        return SigV4Proxy.builder(URI.create(titan.root())).service("bedrock").region(region).credentials(KEYS).start();
    }

    private static Embedder titan(SigV4Proxy bedrock, String region, AwsBasicCredentials keys) {
        return Embedders.create(EmbeddingProvider.BEDROCK, "amazon.titan-embed-text-v2:0", 3, Optional.empty(), region,
                Optional.of(bedrock.endpoint()), StaticCredentialsProvider.create(keys));
    }

    @Test
    void bedrock_without_a_region_is_refused_instead_of_defaulting_to_us_east_1() {
        assertThatThrownBy(() -> Embedders.create(EmbeddingProvider.BEDROCK, "amazon.titan-embed-text-v2:0", 256, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quarry.region");
    }

    @Test
    void the_local_model_is_found_through_the_service_loader_without_naming_its_class() {
        Embedder local = Embedders.create(EmbeddingProvider.ONNX, "bge-small-en-v1.5-q", 384, Optional.empty());

        float[] query = local.embedQuery("What are inventories?");
        List<float[]> passages = local.embedPassages(List.of("Inventories 5,622 5,261", "The weather was fine."));

        assertThat(query).hasSize(384);
        assertThat(dot(query, passages.get(0))).as("a related passage is closer than an unrelated one")
                .isGreaterThan(dot(query, passages.get(1)));
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
