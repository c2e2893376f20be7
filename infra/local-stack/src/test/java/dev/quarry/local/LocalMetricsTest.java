package dev.quarry.local;

import dev.quarry.core.metrics.EmfWriter;
import dev.quarry.core.metrics.MetricNames;
import dev.quarry.core.metrics.StageMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The local /metrics reads the EMF lines the functions print, as CloudWatch does, and adds nothing of its own. */
class LocalMetricsTest {

    @Test
    void emf_lines_in_the_function_logs_become_prometheus_sums_and_counts_and_other_lines_are_ignored(@TempDir Path logs)
            throws Exception {
        Path old = logs.resolve("function-index.log");
        Files.writeString(old, emfLines("index", 5).get(0) + "\n");
        LocalMetrics metrics = new LocalMetrics(logs, 0);
        assertThat(metrics.scrape()).as("a previous run's lines are not this stack's").isEmpty();

        List<String> index = emfLines("index", 5);
        Files.writeString(old, "{\"level\":\"INFO\",\"message\":\"Processed\"}\n" + index.get(0) + "\n" + index.get(1) + "\n",
                StandardOpenOption.APPEND);
        Files.writeString(logs.resolve("function-index-1.log"), emfLines("index", 3).get(0) + "\n{\"_aws\":{\"Timest");
        Files.writeString(logs.resolve("stack.log"), emfLines("chunk", 1).get(0) + "\n");
        String text = metrics.scrape();

        assertThat(text).contains("# TYPE quarry_stage_records_received summary\n")
                .as("three invocations of two sandboxes").contains("quarry_stage_records_received_sum{stage=\"index\"} 4\n")
                .contains("quarry_stage_records_received_count{stage=\"index\"} 3\n")
                .contains("quarry_stage_records_failed_sum{stage=\"index\"} 1\n")
                .contains("quarry_stage_chunks_sum{stage=\"index\"} 16\n")
                .as("40 ms, then 20 and 100 ms as their mean twice, then 40 ms")
                .contains("quarry_stage_record_duration_count{stage=\"index\"} 4\n")
                .contains("quarry_stage_record_duration_sum{stage=\"index\"} 200\n")
                .as("only function logs").doesNotContain("stage=\"chunk\"");
        assertThat(text.lines().filter(l -> !l.startsWith("#")).map(l -> l.substring(0, l.indexOf('{'))))
                .allSatisfy(name -> assertThat(name).startsWith("quarry_"));

        Files.writeString(logs.resolve("function-index-1.log"), "amp\":1}\n", StandardOpenOption.APPEND);
        assertThat(metrics.scrape()).as("a line completed later is not counted twice, a broken one not at all")
                .contains("quarry_stage_records_received_sum{stage=\"index\"} 4\n");
    }

    /** What a stage function prints: two invocations, the first of one record, the second of two. */
    private static List<String> emfLines(String stage, int chunks) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<String> lines = new ArrayList<>();
        EmfWriter emf = new EmfWriter(registry, lines::add, () -> 0L);
        StageMetrics metrics = new StageMetrics(stage, registry, emf::flush);
        metrics.received(100);
        metrics.succeeded(0, chunks, 0);
        metrics.took(Duration.ofMillis(40));
        metrics.flush();
        metrics.received(100);
        metrics.received(100);
        metrics.succeeded(0, 8, 0);
        metrics.failed();
        metrics.took(Duration.ofMillis(20));
        metrics.took(Duration.ofMillis(100));
        metrics.flush();
        assertThat(lines).allSatisfy(l -> assertThat(l).contains(MetricNames.RECORDS_RECEIVED));
        return lines;
    }
}
