package dev.quarry.core.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lines EmfWriter prints, read back as CloudWatch would read them (the EMF specification's structure). */
class EmfWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NOW = 1_767_225_600_000L;

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> printed = new ArrayList<>();
    private final EmfWriter writer = new EmfWriter(registry, printed::add, () -> NOW);

    @Test
    void one_line_holds_the_envelope_the_dimension_and_every_value_with_its_unit() throws Exception {
        StageMetrics metrics = new StageMetrics("index", registry, writer::flush);
        metrics.received(2048);
        metrics.succeeded(0, 12, 0);
        metrics.took(Duration.ofMillis(40));
        metrics.flush();

        assertThat(printed).hasSize(1);
        JsonNode line = JSON.readTree(printed.get(0));
        JsonNode aws = line.get("_aws");
        assertThat(aws.get("Timestamp").asLong()).isEqualTo(NOW);
        assertThat(aws.get("CloudWatchMetrics")).hasSize(1);
        JsonNode directive = aws.get("CloudWatchMetrics").get(0);
        assertThat(directive.get("Namespace").asText()).isEqualTo("Quarry");
        assertThat(directive.get("Dimensions").toString()).isEqualTo("[[\"stage\"]]");
        assertThat(line.get("stage").asText()).isEqualTo("index");

        Map<String, String> units = new TreeMap<>();
        directive.get("Metrics").forEach(m -> units.put(m.get("Name").asText(), m.get("Unit").asText()));
        assertThat(units).containsEntry(MetricNames.RECORDS_RECEIVED, "Count")
                .containsEntry(MetricNames.BYTES, "Bytes")
                .containsEntry(MetricNames.RECORD_DURATION, "Milliseconds")
                .containsEntry(MetricNames.RECORDS_FAILED, "Count");
        // Every metric the directive names is a number at the top level, as the spec requires.
        units.keySet().forEach(name -> assertThat(line.get(name).isNumber()).as(name).isTrue());
        assertThat(line.get(MetricNames.RECORDS_RECEIVED).asLong()).isEqualTo(1);
        assertThat(line.get(MetricNames.RECORDS_SUCCEEDED).asLong()).isEqualTo(1);
        assertThat(line.get(MetricNames.RECORDS_FAILED).asLong()).as("zeros are reported").isZero();
        assertThat(line.get(MetricNames.BYTES).asLong()).isEqualTo(2048);
        assertThat(line.get(MetricNames.CHUNKS).asLong()).isEqualTo(12);
        assertThat(line.get(MetricNames.RECORD_DURATION).asDouble()).isEqualTo(40.0);
    }

    @Test
    void each_flush_writes_what_happened_since_the_previous_one() throws Exception {
        Counter counter = Counter.builder(MetricNames.QUERY_REQUESTS).tag("stage", "query").register(registry);
        Timer timer = Timer.builder(MetricNames.QUERY_LATENCY).tag("stage", "query").register(registry);
        counter.increment();
        timer.record(Duration.ofMillis(100));
        writer.flush();
        counter.increment(2);
        timer.record(Duration.ofMillis(10));
        timer.record(Duration.ofMillis(30));
        writer.flush();
        writer.flush();

        JsonNode second = JSON.readTree(printed.get(1));
        assertThat(second.get(MetricNames.QUERY_REQUESTS).asLong()).isEqualTo(2);
        assertThat(second.get(MetricNames.QUERY_LATENCY).toString())
                .as("two observations: their mean twice, so Sum (40) and SampleCount (2) are exact").isEqualTo("[20,20]");
        JsonNode third = JSON.readTree(printed.get(2));
        assertThat(third.get(MetricNames.QUERY_REQUESTS).asLong()).isZero();
        assertThat(third.has(MetricNames.QUERY_LATENCY)).as("a timer that observed nothing is left out").isFalse();
        assertThat(third.get("_aws").get("CloudWatchMetrics").get(0).get("Metrics")).hasSize(1);
    }

    @Test
    void meters_of_other_names_stay_out_and_tag_values_get_lines_of_their_own() throws Exception {
        Counter.builder("jvm.gc.pause").register(registry).increment();
        DistributionSummary.builder(MetricNames.QUERY_HITS).tag("stage", "query").register(registry).record(5);
        Counter.builder(MetricNames.RECORDS_RECEIVED).tag("stage", "chunk").register(registry).increment();

        writer.flush();

        assertThat(printed).hasSize(2);
        for (String text : printed) {
            JsonNode line = JSON.readTree(text);
            assertThat(line.has("jvm.gc.pause")).isFalse();
            assertThat(line.get("stage").asText()).isIn("query", "chunk");
        }
        assertThat(printed).anySatisfy(text -> assertThat(text).contains("\"" + MetricNames.QUERY_HITS + "\":5"));
    }

    @Test
    void an_api_response_is_summed_over_its_stage_and_broken_down_by_route_and_error_in_the_requests_one_line() throws Exception {
        Counter.builder(MetricNames.SEARCH_REQUESTS).tag("stage", "query").register(registry).increment();
        Counter.builder(MetricNames.API_RESPONSES).tags("stage", "query", "route", "POST /v1/search", "error", "invalid_request")
                .register(registry).increment();
        Counter.builder(MetricNames.API_CLIENT_ERRORS).tags("stage", "query", "route", "POST /v1/search", "error", "invalid_request")
                .register(registry).increment();

        writer.flush();

        assertThat(printed).hasSize(1);
        JsonNode line = JSON.readTree(printed.get(0));
        JsonNode directives = line.at("/_aws/CloudWatchMetrics");
        assertThat(directives).hasSize(2);
        assertThat(directives.get(0).get("Dimensions").toString()).isEqualTo("[[\"stage\"]]");
        assertThat(directives.get(1).get("Dimensions").toString()).isEqualTo("[[\"stage\"],[\"stage\",\"route\",\"error\"]]");
        assertThat(directives.get(1).get("Metrics").toString()).contains(MetricNames.API_RESPONSES, MetricNames.API_CLIENT_ERRORS);
        assertThat(line.get("route").asText()).isEqualTo("POST /v1/search");
        assertThat(line.get("error").asText()).isEqualTo("invalid_request");
        assertThat(line.get(MetricNames.API_CLIENT_ERRORS).asLong()).isEqualTo(1);

        Counter.builder(MetricNames.API_RESPONSES).tags("stage", "query", "route", "GET /v1/costs", "error", "none")
                .register(registry).increment();
        writer.flush();

        JsonNode next = JSON.readTree(printed.get(1));
        assertThat(next.get("route").asText()).isEqualTo("GET /v1/costs");
        assertThat(next.has(MetricNames.API_CLIENT_ERRORS)).as("a broken-down counter that did not move is left out").isFalse();
        assertThat(next.get(MetricNames.SEARCH_REQUESTS).asLong()).as("one counted under its stage alone says 0").isZero();
    }

    @Test
    void responses_of_two_routes_in_one_flush_get_a_line_each() throws Exception {
        for (String route : List.of("POST /v1/search", "POST /v1/query")) {
            Counter.builder(MetricNames.API_RESPONSES).tags("stage", "query", "route", route, "error", "none").register(registry).increment();
        }

        writer.flush();

        assertThat(printed).hasSize(2);
        assertThat(printed).extracting(text -> JSON.readTree(text).get("route").asText()).containsExactlyInAnyOrder("POST /v1/search", "POST /v1/query");
    }

    @Test
    void a_meter_with_other_tags_than_its_metric_declares_is_refused() {
        Counter.builder(MetricNames.API_ERRORS).tags("stage", "query", "tenant", "acme").register(registry).increment();

        assertThatThrownBy(writer::flush).hasMessageContaining(MetricNames.API_ERRORS).hasMessageContaining("tenant");
    }

    @Test
    void a_quarry_meter_missing_from_MetricNames_is_refused() {
        Counter.builder("quarry.unlisted").register(registry).increment();

        assertThatThrownBy(writer::flush).hasMessageContaining("quarry.unlisted");
    }
}
