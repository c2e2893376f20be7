package dev.quarry.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.testsupport.FakeOpenAi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat model's endpoint answering 429 and 5xx for a while, then recovering, through the real query function:
 * another deployment of its zip, configured for an OpenAI-compatible endpoint (a fake on a local port), against the
 * stack's S3 and OpenSearch and behind a gateway of its own that builds the events as the stack's does. The stack's
 * own query function stays extractive. While the model fails, every answer is a 503 that names the model and
 * nothing reaches the tenant's history; once it is back, the same questions are answered with verified citations and
 * the history holds each exactly once; the document's chunks are untouched throughout.
 */
@ExtendWith(StackSession.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChatModelOutageIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** What langchain4j's OpenAI client makes of one question: the call and its maxRetries(2) retries (ChatModels.openAi). */
    private static final int ATTEMPTS = 3;
    private static final List<String> QUESTIONS = List.of(
            "What does the xspace command do?",
            "When does xspace not add a space after a macro?");

    private static StackConfig config;
    private static Api api;
    private static String documentId;
    private static int chunks;
    private static FakeOpenAi openAi;
    private static LambdaService lambda;
    private static HttpApiGateway gateway;

    @BeforeAll
    static void ingestAndDeployQueryWithAChatModel() throws Exception {
        config = StackSession.ensure();
        api = new Api(config, "it-chat-" + UUID.randomUUID().toString().substring(0, 8));
        documentId = api.upload("xspace.pdf",
                config.projectRoot().resolve("shared/core/src/test/resources/pdfs/texlive-latex-base-doc__xspace.pdf"));
        JsonNode doc = api.awaitTerminal(List.of(documentId), Duration.ofMinutes(4)).get(documentId);
        assertThat(doc.path("status").asText()).as("%s", doc).isEqualTo("READY");
        chunks = countChunks();
        assertThat(chunks).isPositive().isEqualTo(doc.path("chunks").asInt());

        openAi = new FakeOpenAi();
        lambda = new LambdaService(config, Pipeline.load(config.projectRoot()), new ChildProcesses(config));
        LambdaFunction query = lambda.deploy("query", "query-chat", Map.of(
                "QUARRY_ANSWER_PROVIDER", "openai",
                "QUARRY_ANSWER_ENDPOINT", openAi.baseUrl(),
                "QUARRY_ANSWER_MODEL_ID", "gpt-4o-mini",
                "QUARRY_ANSWER_API_KEY", "sk-quarry-it"));
        StackDaemon.awaitHealthy(query);
        gateway = new HttpApiGateway(0, query::invoke, config::apiKeys, HttpApiGateway.TENANT_CLAIM, null);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (lambda != null) {
            lambda.close();
        }
        if (openAi != null) {
            openAi.close();
        }
    }

    @Test
    @Order(1)
    void while_the_model_fails_every_answer_is_a_503_naming_it_and_after_it_recovers_each_question_is_answered_once() throws Exception {
        // The outage: throttling (with Retry-After) and server errors, each question using up the client's retries.
        List<Api.Response> failed = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (String question : QUESTIONS) {
                openAi.rateLimits(1).error(503, "server_error", "The server is overloaded").error(500, "server_error", "Internal error");
                int before = openAi.received().size();
                Api.Response r = ask(question);
                assertThat(openAi.received().size() - before).as("calls to the model for one question").isEqualTo(ATTEMPTS);
                failed.add(r);
            }
        }
        assertThat(failed).allSatisfy(r -> {
            assertThat(r.status()).as("%s", r.body()).isEqualTo(503);
            assertThat(r.body().path("error").asText()).isEqualTo("answer_model_unavailable");
            assertThat(r.body().path("message").asText()).contains("answer model is unavailable");
            assertThat(r.body().has("answer")).as("no answer of any kind").isFalse();
            assertThat(r.body().has("citations")).isFalse();
        });
        assertThat(history()).as("a failed answer is not recorded").isEmpty();

        // The recovery: the first question meets one last 429 and is answered on the client's retry; the second at once.
        List<Api.Response> answered = new ArrayList<>();
        for (int i = 0; i < QUESTIONS.size(); i++) {
            String question = QUESTIONS.get(i);
            if (i == 0) {
                openAi.rateLimits(1);
            }
            openAi.answers(citedAnswer(question));
            int before = openAi.received().size();
            answered.add(ask(question));
            assertThat(openAi.received().size() - before).as("calls to the model for question %d", i + 1).isEqualTo(i == 0 ? 2 : 1);
        }
        Set<String> quotes = chunkTexts();
        for (Api.Response r : answered) {
            assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
            assertThat(r.body().path("answerMode").asText()).isEqualTo("llm");
            assertThat(r.body().path("found").asBoolean()).as("%s", r.body()).isTrue();
            assertThat(r.body().path("citations")).as("%s", r.body()).isNotEmpty().allSatisfy(c -> {
                assertThat(c.path("documentId").asText()).isEqualTo(documentId);
                assertThat(quotes).as("the chunk texts").anySatisfy(text -> assertThat(text).contains(c.path("quote").asText()));
            });
        }

        JsonNode history = history();
        Set<String> answeredIds = answered.stream().map(r -> r.body().path("queryId").asText()).collect(Collectors.toSet());
        assertThat(history).as("one entry per answered question").hasSize(QUESTIONS.size());
        assertThat(stream(history).map(h -> h.path("queryId").asText()).collect(Collectors.toSet())).isEqualTo(answeredIds);
        assertThat(stream(history).map(h -> h.path("question").asText()).toList()).containsExactlyInAnyOrderElementsOf(QUESTIONS);

        assertThat(countChunks()).as("the document's chunks").isEqualTo(chunks);
        assertThat(api.document(documentId).path("status").asText()).isEqualTo("READY");
    }

    @Test
    @Order(2)
    void a_refused_api_key_is_not_retried_and_the_answer_names_the_settings_to_check() throws Exception {
        openAi.error(401, "invalid_api_key", "Incorrect API key provided");
        int before = openAi.received().size();
        int historyBefore = history().size();

        Api.Response r = ask(QUESTIONS.get(0));

        assertThat(openAi.received().size() - before).as("calls to the model").isEqualTo(1);
        // A refusal is the operator's to fix, not an outage to retry: 502 answer_model_rejected (ErrorMappers).
        assertThat(r.status()).as("%s", r.body()).isEqualTo(502);
        assertThat(r.body().path("error").asText()).isEqualTo("answer_model_rejected");
        assertThat(r.body().path("message").asText()).contains("Incorrect API key provided").contains("quarry.answer.api-key");
        assertThat(history()).hasSize(historyBefore);
        assertThat(countChunks()).isEqualTo(chunks);
    }

    /** Asks through the chat deployment's gateway with the tenant's API key, as a client would. */
    private static Api.Response ask(String question) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/query"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + api.key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Api.JSON.createObjectNode().put("question", question).toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Api.Response(r.statusCode(), r.body().isBlank() ? Api.JSON.nullNode() : Api.JSON.readTree(r.body()));
    }

    /**
     * An answer as a model writes it from the passages the query function will send: the question's hybrid search
     * (the query's own retrieval, top 5) gives passage 1, and the answer quotes a line of it.
     */
    private static String citedAnswer(String question) {
        Api.Response search = api.call("POST", "/v1/search",
                Api.JSON.createObjectNode().put("query", question).put("mode", "hybrid").put("topK", 5).toString());
        assertThat(search.status()).as("%s", search.body()).isEqualTo(200);
        String text = search.body().path("hits").path(0).path("text").asText();
        String quote = Arrays.stream(text.split("\n")).map(String::strip).filter(l -> l.split("\\s+").length >= 5 && !l.contains("\""))
                .findFirst().orElseThrow(() -> new AssertionError("no line of five words to quote in " + text));
        return "The package's documentation says so [1] \"" + quote + "\".";
    }

    private static JsonNode history() throws Exception {
        openSearch("/quarry-queries*/_refresh", null); // the index is created by the first answer recorded
        Api.Response r = api.call("GET", "/v1/queries?limit=100", null);
        assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
        return r.body().path("queries");
    }

    private static int countChunks() throws Exception {
        openSearch("/quarry-chunks/_refresh", null);
        return openSearch("/quarry-chunks/_count", "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"tenant\":\"" + api.tenant
                + "\"}},{\"term\":{\"documentId\":\"" + documentId + "\"}}]}}}").path("count").asInt();
    }

    private static Set<String> chunkTexts() throws Exception {
        JsonNode hits = openSearch("/quarry-chunks/_search", "{\"size\":500,\"_source\":[\"text\"],\"query\":{\"term\":{\"tenant\":\""
                + api.tenant + "\"}}}").path("hits").path("hits");
        Set<String> texts = new HashSet<>();
        hits.forEach(h -> texts.add(h.path("_source").path("text").asText()));
        return texts;
    }

    private static JsonNode openSearch(String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(config.openSearchEndpoint() + path))
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("POST %s: %s", path, r.body()).isBetween(200, 299);
        return Api.JSON.readTree(r.body());
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items.stream();
    }
}
