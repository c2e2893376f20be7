package dev.quarry.functions.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.core.metrics.MetricNames;
import dev.quarry.core.port.Embedder;
import dev.quarry.testsupport.InMemoryChunkIndex;
import dev.quarry.testsupport.InMemoryQueryHistory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An answered question or a search prints one EMF line whose values are the response's own timings, hits and tokens. */
@QuarkusTest
class QueryMetricsTest {

    @Inject
    InMemoryChunkIndex index;
    @Inject
    Embedder embedder;
    @Inject
    InMemoryQueryHistory history;
    @Inject
    MeterRegistry registry;

    @BeforeEach
    void seed() {
        index.clear();
        history.clear();
        Corpus.seed(index, embedder);
    }

    @Test
    void an_answered_question_prints_its_latency_by_phase_hits_and_tokens_as_one_emf_line() throws Exception {
        LambdaEvent.Reply[] reply = new LambdaEvent.Reply[1];
        List<EmfLine> emf = EmfLine.printedBy(() -> reply[0] = LambdaEvent.from("query-tenant-a.json").send());

        assertThat(reply[0].status()).isEqualTo(200);
        JsonNode body = reply[0].json();
        assertThat(emf).hasSize(1);
        EmfLine line = emf.get(0);
        JsonNode directive = line.directiveOf(MetricNames.QUERY_LATENCY).orElseThrow();
        assertThat(directive.get("Namespace").asText()).isEqualTo(MetricNames.NAMESPACE);
        assertThat(directive.get("Dimensions").toString()).isEqualTo("[[\"stage\"]]");
        assertThat(line.dimension("stage")).isEqualTo("query");
        Map<String, String> units = new HashMap<>();
        directive.get("Metrics").forEach(m -> units.put(m.get("Name").asText(), m.get("Unit").asText()));
        assertThat(units).containsEntry(MetricNames.QUERY_LATENCY, "Milliseconds").containsEntry(MetricNames.QUERY_EMBED, "Milliseconds")
                .containsEntry(MetricNames.QUERY_SEARCH, "Milliseconds").containsEntry(MetricNames.QUERY_FUSE, "Milliseconds")
                .containsEntry(MetricNames.QUERY_ANSWER, "Milliseconds").containsEntry(MetricNames.QUERY_HITS, "Count")
                .containsEntry(MetricNames.QUERY_EMBEDDING_TOKENS, "Count").containsEntry(MetricNames.QUERY_REQUESTS, "Count");
        line.root().at("/_aws/CloudWatchMetrics").forEach(d -> d.get("Metrics").forEach(m ->
                assertThat(m.get("Name").asText()).as("only Quarry's meters, not the JVM's or HTTP's").startsWith("quarry.")));
        assertThat(line.value(MetricNames.QUERY_REQUESTS).asLong()).isEqualTo(1);
        assertThat(line.value(MetricNames.QUERY_LATENCY).asLong()).isEqualTo(body.at("/timings/totalMillis").asLong());
        assertThat(line.value(MetricNames.QUERY_SEARCH).asLong()).isEqualTo(body.at("/timings/searchMillis").asLong());
        assertThat(line.value(MetricNames.QUERY_ANSWER).asLong()).isEqualTo(body.at("/timings/answerMillis").asLong());
        assertThat(line.value(MetricNames.QUERY_HITS).asLong()).isEqualTo(body.path("hits").size()).isPositive();
        assertThat(line.value(MetricNames.QUERY_EMBEDDING_TOKENS).asLong()).isEqualTo(body.at("/cost/embeddingTokens").asLong());
        assertThat(line.value(MetricNames.SEARCH_LATENCY).isMissingNode()).as("a question is no search").isTrue();
        assertThat(line.value(MetricNames.API_RESPONSES).asLong()).isEqualTo(1);
        assertThat(line.dimension(MetricNames.ROUTE)).isEqualTo("POST /v1/query");
        assertThat(line.dimension(MetricNames.ERROR)).isEqualTo("none");
    }

    @Test
    void a_search_prints_its_latency_by_phase_and_hits_and_its_response_in_one_emf_line() {
        LambdaEvent.Reply[] reply = new LambdaEvent.Reply[1];
        List<EmfLine> emf = EmfLine.printedBy(() -> reply[0] = LambdaEvent.from("search-tenant-a.json").send());

        assertThat(reply[0].status()).isEqualTo(200);
        JsonNode timings = reply[0].json().path("timings");
        assertThat(emf).hasSize(1);
        EmfLine line = emf.get(0);
        assertThat(line.directiveOf(MetricNames.SEARCH_LATENCY).orElseThrow().get("Dimensions").toString()).isEqualTo("[[\"stage\"]]");
        assertThat(line.value(MetricNames.SEARCH_REQUESTS).asLong()).isEqualTo(1);
        assertThat(line.value(MetricNames.SEARCH_LATENCY).asLong()).isEqualTo(timings.path("totalMillis").asLong());
        assertThat(line.value(MetricNames.SEARCH_EMBED).asLong()).isEqualTo(timings.path("embedMillis").asLong());
        assertThat(line.value(MetricNames.SEARCH_SEARCH).asLong()).isEqualTo(timings.path("searchMillis").asLong());
        assertThat(line.value(MetricNames.SEARCH_FUSE).asLong()).isEqualTo(timings.path("fuseMillis").asLong());
        assertThat(line.value(MetricNames.SEARCH_RERANK).isMissingNode()).as("reranking is off").isTrue();
        assertThat(line.value(MetricNames.SEARCH_HITS).asLong()).isEqualTo(reply[0].json().path("hits").size()).isPositive();
        assertThat(line.value(MetricNames.QUERY_LATENCY).isMissingNode()).as("a search is no question").isTrue();
        assertThat(line.directiveOf(MetricNames.API_RESPONSES).orElseThrow().get("Dimensions").toString())
                .isEqualTo("[[\"stage\"],[\"stage\",\"route\",\"error\"]]");
        assertThat(line.value(MetricNames.API_RESPONSES).asLong()).isEqualTo(1);
        assertThat(line.dimension(MetricNames.ROUTE)).isEqualTo("POST /v1/search");
        assertThat(line.dimension(MetricNames.ERROR)).isEqualTo("none");
        assertThat(line.value(MetricNames.API_CLIENT_ERRORS).isMissingNode()).isTrue();
    }

    @Test
    void the_same_meters_are_in_the_prometheus_registry() {
        LambdaEvent.from("query-tenant-a.json").send();

        assertThat(registry).isInstanceOf(CompositeMeterRegistry.class);
        MeterRegistry prometheus = ((CompositeMeterRegistry) registry).getRegistries().stream()
                .filter(r -> r.getClass().getSimpleName().equals("PrometheusMeterRegistry")).findFirst().orElseThrow();
        assertThat(prometheus.find(MetricNames.QUERY_REQUESTS).tag(MetricNames.STAGE, "query").counter()).isNotNull()
                .satisfies(c -> assertThat(c.count()).isPositive());
        assertThat(prometheus.find(MetricNames.QUERY_LATENCY).timer()).isNotNull();
        LambdaEvent.from("search-tenant-a.json").send();
        assertThat(prometheus.find(MetricNames.SEARCH_LATENCY).tag(MetricNames.STAGE, "query").timer()).isNotNull()
                .satisfies(t -> assertThat(t.count()).isPositive());
        assertThat(prometheus.find(MetricNames.API_RESPONSES).tags(MetricNames.ROUTE, "POST /v1/search", MetricNames.ERROR, "none")
                .counter()).isNotNull().satisfies(c -> assertThat(c.count()).isPositive());
    }

}
