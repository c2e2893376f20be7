package dev.quarry.ai.rerank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.testsupport.FakeHttpEndpoint;
import dev.quarry.core.port.RetryableException;
import dev.quarry.model.ChunkSpan;
import dev.quarry.model.SearchHit;
import dev.quarry.testsupport.SigV4Proxy;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Bedrock Rerank through the real AWS SDK client (Bedrock Agent Runtime) against a fake endpoint that
 * speaks the Rerank API's JSON, behind a proxy that checks each call's SigV4 signature (service
 * {@code bedrock}, the function's region, the test credentials) as Bedrock does.
 */
class BedrockRerankerTest {
    private static final String REGION = "eu-central-1";
    private static final AwsBasicCredentials KEYS = AwsBasicCredentials.create("AKIDQUARRYTEST", "not-a-secret");

    static final class FakeAgentRuntime extends FakeHttpEndpoint {
        FakeAgentRuntime() throws IOException {
        }

        @Override
        protected Reply nothingQueued() {
            return new Reply(500, Map.of("x-amzn-ErrorType", "InternalServerException"), "{\"message\":\"nothing queued\"}");
        }
    }

    private FakeAgentRuntime fake;
    private SigV4Proxy bedrock;
    private BedrockReranker reranker;

    private final List<SearchHit> hits = List.of(
            hit("a", "Revenues grew 7% in fiscal 2019.", null),
            hit("b", "Inventories 5,622 5,261", "CONSOLIDATED BALANCE SHEETS | (Dollars in millions) 2019 2018"),
            hit("c", "The board met four times.", null));

    @BeforeEach
    void start() throws IOException {
        fake = new FakeAgentRuntime();
        bedrock = SigV4Proxy.builder(URI.create(fake.root())).service("bedrock").region(REGION).credentials(KEYS).start();
        reranker = reranker(REGION, KEYS);
    }

    @AfterEach
    void stop() {
        bedrock.close();
        fake.close();
    }

    private BedrockReranker reranker(String region, AwsBasicCredentials keys) {
        return BedrockReranker.create(region, "amazon.rerank-v1:0", Optional.of(bedrock.endpoint()), StaticCredentialsProvider.create(keys));
    }

    private static SearchHit hit(String id, String text, String section) {
        return new SearchHit(id, "doc-" + id, id + ".pdf", 1, 1, text, List.of(new ChunkSpan(1, 0, text.length())), 0.5, section);
    }

    @Test
    void reorders_the_candidates_by_the_models_scores_and_keeps_top_k() {
        fake.enqueue(200, Map.of(), "{\"results\":[{\"index\":1,\"relevanceScore\":0.91},{\"index\":0,\"relevanceScore\":0.42}]}");

        List<SearchHit> out = reranker.rerank("How much inventory did Nike hold?", hits, 2);

        assertThat(out).extracting(SearchHit::chunkId).containsExactly("b", "a");
        assertThat(out.get(0).score()).isCloseTo(0.91, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(out.get(0).text()).isEqualTo("Inventories 5,622 5,261");
    }

    @Test
    void sends_one_signed_rerank_call_in_the_functions_region_with_passages_and_their_sections() throws Exception {
        fake.enqueue(200, Map.of(), "{\"results\":[{\"index\":0,\"relevanceScore\":0.5}]}");

        reranker.rerank("How much inventory did Nike hold?", hits, 1);

        assertThat(bedrock.forwarded()).as("signed validly for bedrock in " + REGION).hasSize(1);
        FakeHttpEndpoint.Received call = fake.received().getFirst();
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo("/rerank");
        assertThat(call.headers().get("Authorization")).singleElement().asString()
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDQUARRYTEST/")
                .contains("/" + REGION + "/bedrock/aws4_request");
        JsonNode body = new ObjectMapper().readTree(call.body());
        assertThat(body.at("/queries/0/textQuery/text").asText()).isEqualTo("How much inventory did Nike hold?");
        assertThat(body.path("sources")).hasSize(3);
        assertThat(body.at("/sources/1/inlineDocumentSource/textDocument/text").asText())
                .isEqualTo("CONSOLIDATED BALANCE SHEETS | (Dollars in millions) 2019 2018\nInventories 5,622 5,261");
        assertThat(body.at("/rerankingConfiguration/bedrockRerankingConfiguration/modelConfiguration/modelArn").asText())
                .isEqualTo("arn:aws:bedrock:" + REGION + "::foundation-model/amazon.rerank-v1:0");
        assertThat(body.at("/rerankingConfiguration/bedrockRerankingConfiguration/numberOfResults").asInt()).isEqualTo(1);
    }

    @Test
    void an_access_error_is_permanent_and_names_the_setting_and_a_throttle_is_transient() {
        fake.enqueue(403, Map.of("x-amzn-ErrorType", "AccessDeniedException"), "{\"message\":\"not authorized\"}");
        assertThatThrownBy(() -> reranker.rerank("q", hits, 2))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("quarry.search.rerank-model");

        for (int i = 0; i < 4; i++) {
            fake.enqueue(429, Map.of("x-amzn-ErrorType", "ThrottlingException"), "{\"message\":\"slow down\"}");
        }
        assertThatThrownBy(() -> reranker.rerank("q", hits, 2)).isInstanceOf(RetryableException.class);
    }

    @Test
    void a_call_signed_with_another_secret_or_for_another_region_is_refused_before_it_reaches_the_model() {
        fake.enqueue(200, Map.of(), "{\"results\":[{\"index\":0,\"relevanceScore\":0.5}]}");

        assertThatThrownBy(() -> reranker(REGION, AwsBasicCredentials.create(KEYS.accessKeyId(), "another-secret"))
                .rerank("q", hits, 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("403");
        assertThatThrownBy(() -> reranker("us-east-1", KEYS).rerank("q", hits, 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("403");

        assertThat(fake.received()).isEmpty();
        assertThat(bedrock.refused()).extracting(c -> c.refusal().orElseThrow().message())
                .anySatisfy(m -> assertThat(m).contains("signature we calculated does not match"))
                .anySatisfy(m -> assertThat(m).contains("scoped to a valid region"));
    }
}
