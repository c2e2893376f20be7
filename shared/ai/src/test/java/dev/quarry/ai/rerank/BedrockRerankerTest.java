package dev.quarry.ai.rerank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.ai.answer.FakeHttpEndpoint;
import dev.quarry.core.port.RetryableException;
import dev.quarry.model.ChunkSpan;
import dev.quarry.model.SearchHit;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Bedrock Rerank through the real AWS SDK client (Bedrock Agent Runtime), signed with SigV4, against a
 * fake endpoint that speaks the Rerank API's JSON.
 */
class BedrockRerankerTest {
    private static final String REGION = "eu-central-1";

    static final class FakeAgentRuntime extends FakeHttpEndpoint {
        FakeAgentRuntime() throws IOException {
        }

        @Override
        protected Reply nothingQueued() {
            return new Reply(500, Map.of("x-amzn-ErrorType", "InternalServerException"), "{\"message\":\"nothing queued\"}");
        }
    }

    private FakeAgentRuntime fake;
    private BedrockReranker reranker;

    private final List<SearchHit> hits = List.of(
            hit("a", "Revenues grew 7% in fiscal 2019.", null),
            hit("b", "Inventories 5,622 5,261", "CONSOLIDATED BALANCE SHEETS | (Dollars in millions) 2019 2018"),
            hit("c", "The board met four times.", null));

    @BeforeEach
    void start() throws IOException {
        fake = new FakeAgentRuntime();
        reranker = BedrockReranker.create(REGION, "amazon.rerank-v1:0", Optional.of(fake.root()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDQUARRYTEST", "not-a-secret")));
    }

    @AfterEach
    void stop() {
        fake.close();
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
}
