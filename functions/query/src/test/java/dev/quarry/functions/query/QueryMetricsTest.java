package dev.quarry.functions.query;

import dev.quarry.testsupport.Stdout;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/** An answered question prints one EMF line whose values are the response's own timings, hits and tokens. */
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
        List<String> emf = Stdout.of(() -> reply[0] = LambdaEvent.from("query-tenant-a.json").send()).stream()
                .filter(l -> l.startsWith("{\"_aws\"")).toList();

        assertThat(reply[0].status()).isEqualTo(200);
        JsonNode body = reply[0].json();
        assertThat(emf).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(emf.get(0));
        JsonNode directive = line.at("/_aws/CloudWatchMetrics/0");
        assertThat(directive.get("Namespace").asText()).isEqualTo(MetricNames.NAMESPACE);
        assertThat(directive.get("Dimensions").toString()).isEqualTo("[[\"stage\"]]");
        assertThat(line.get("stage").asText()).isEqualTo("query");
        Map<String, String> units = new HashMap<>();
        directive.get("Metrics").forEach(m -> units.put(m.get("Name").asText(), m.get("Unit").asText()));
        assertThat(units).containsEntry(MetricNames.QUERY_LATENCY, "Milliseconds").containsEntry(MetricNames.QUERY_EMBED, "Milliseconds")
                .containsEntry(MetricNames.QUERY_SEARCH, "Milliseconds").containsEntry(MetricNames.QUERY_FUSE, "Milliseconds")
                .containsEntry(MetricNames.QUERY_ANSWER, "Milliseconds").containsEntry(MetricNames.QUERY_HITS, "Count")
                .containsEntry(MetricNames.QUERY_EMBEDDING_TOKENS, "Count").containsEntry(MetricNames.QUERY_REQUESTS, "Count");
        assertThat(units).as("only Quarry's meters, not the JVM's or HTTP's").allSatisfy((name, unit) -> assertThat(name).startsWith("quarry."));
        assertThat(line.get(MetricNames.QUERY_REQUESTS).asLong()).isEqualTo(1);
        assertThat(line.get(MetricNames.QUERY_LATENCY).asLong()).isEqualTo(body.at("/timings/totalMillis").asLong());
        assertThat(line.get(MetricNames.QUERY_SEARCH).asLong()).isEqualTo(body.at("/timings/searchMillis").asLong());
        assertThat(line.get(MetricNames.QUERY_ANSWER).asLong()).isEqualTo(body.at("/timings/answerMillis").asLong());
        assertThat(line.get(MetricNames.QUERY_HITS).asLong()).isEqualTo(body.path("hits").size()).isPositive();
        assertThat(line.get(MetricNames.QUERY_EMBEDDING_TOKENS).asLong()).isEqualTo(body.at("/cost/embeddingTokens").asLong());
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
    }

}
