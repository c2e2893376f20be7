package dev.quarry.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.core.metrics.MetricNames;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard and the alarms use exactly the metrics the code emits: every Quarry metric they name is in
 * MetricNames (the names the meters are built from and the only ones EmfWriter prints), with the namespace and a
 * dimension set the EMF lines carry (stage alone, or for the API's responses a search over stage, route and error),
 * and a stage that exists. AWS metrics are allowed only from the services named here.
 */
class MetricNamesTest {
    private static final TerraformModule MODULE = TerraformModule.load(Repository.MODULE);
    private static final Set<String> AWS_NAMESPACES = Set.of("AWS/SQS", "AWS/ApiGateway");
    /** The one kind of expression the dashboard may use: a search over one schema for one metric name. */
    private static final Pattern SEARCH = Pattern.compile("SEARCH\\('\\{([^}]+)} MetricName=\"([^\"]+)\"', '(\\w+)', (\\d+)\\)");

    private static Set<String> stageValues() throws Exception {
        Set<String> stages = new TreeSet<>(List.of("query"));
        new ObjectMapper().readTree(Repository.PIPELINE_FILE.toFile()).path("stages")
                .forEach(s -> stages.add(s.path("function").asText()));
        return stages;
    }

    @Test
    void every_dashboard_metric_is_one_the_code_emits_with_its_namespace_and_dimension() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(Repository.MODULE.resolve("dashboard.json.tftpl")));
        Set<String> stages = stageValues();
        List<String> quarryMetrics = new ArrayList<>();
        List<String> brokenDown = new ArrayList<>();
        for (JsonNode widget : dashboard.path("widgets")) {
            for (JsonNode metric : widget.path("properties").path("metrics")) {
                if (metric.get(0).isObject()) {
                    String expression = metric.get(0).path("expression").asText();
                    Matcher search = SEARCH.matcher(expression);
                    assertThat(search.matches()).as("a search for one metric name, nothing else: %s", expression).isTrue();
                    List<String> schema = List.of(search.group(1).split(","));
                    String name = search.group(2);
                    assertThat(schema.get(0)).as("namespace of %s", expression).isEqualTo(MetricNames.NAMESPACE);
                    assertThat(MetricNames.units()).as("%s is emitted (MetricNames)", name).containsKey(name);
                    assertThat(MetricNames.dimensionSets(name)).as("dimensions of %s", expression).contains(schema.subList(1, schema.size()));
                    quarryMetrics.add(name);
                    brokenDown.add(name);
                    continue;
                }
                String namespace = metric.get(0).asText();
                String name = metric.get(1).asText();
                if (AWS_NAMESPACES.contains(namespace)) {
                    continue;
                }
                assertThat(namespace).as("namespace of %s", metric).isEqualTo(MetricNames.NAMESPACE);
                assertThat(MetricNames.units()).as("%s is emitted (MetricNames)", name).containsKey(name);
                assertThat(metric.get(2).asText()).as("dimension of %s", metric).isEqualTo(MetricNames.STAGE);
                assertThat(stages).as("stage of %s", metric).contains(metric.get(3).asText());
                assertThat(metric.size()).as("one dimension, then options at most: %s", metric).isBetween(4, 5);
                assertThat(MetricNames.fromQueryFunction(name) == metric.get(3).asText().equals("query"))
                        .as("the query function's metrics belong to the query stage, stage metrics to a pipeline stage: %s", metric).isTrue();
                quarryMetrics.add(name);
            }
        }
        assertThat(brokenDown).as("the dashboard breaks down every metric emitted by more than its stage")
                .containsAll(MetricNames.units().keySet().stream().filter(n -> MetricNames.dimensionSets(n).size() > 1).toList());
        assertThat(quarryMetrics).as("the dashboard shows every metric the code emits")
                .containsAll(MetricNames.units().keySet());
    }

    @Test
    void every_alarm_on_a_quarry_metric_names_an_emitted_metric_with_its_dimension() throws Exception {
        Set<String> stages = stageValues();
        Map<String, TfBlock> alarms = MODULE.resources("aws_cloudwatch_metric_alarm");
        List<String> quarryAlarms = new ArrayList<>();
        for (TfBlock alarm : alarms.values()) {
            String namespace = alarm.expression("namespace");
            if (namespace.equals("local.metrics_namespace")) {
                assertThat(MODULE.local("metrics_namespace")).isEqualTo("\"" + MetricNames.NAMESPACE + "\"");
                String name = (String) alarm.value("metric_name");
                assertThat(MetricNames.units()).as("%s: %s is emitted", alarm, name).containsKey(name);
                String dimensions = alarm.expression("dimensions").replaceAll("\\s", "");
                assertThat(dimensions).as("%s", alarm).matches("\\{" + MetricNames.STAGE + "=(each\\.key|\"[a-z]+\")}");
                if (dimensions.contains("\"")) {
                    String stage = dimensions.replaceAll(".*\"([a-z]+)\".*", "$1");
                    assertThat(stages).contains(stage);
                    assertThat(MetricNames.fromQueryFunction(name)).as("%s: %s is the query function's", alarm, name)
                            .isEqualTo(stage.equals("query"));
                } else {
                    assertThat(alarm.expression("for_each")).isEqualTo("local.stages");
                }
                quarryAlarms.add(name);
            } else {
                assertThat(AWS_NAMESPACES).as("%s", alarm).contains((String) alarm.value("namespace"));
            }
        }
        assertThat(quarryAlarms).contains(MetricNames.RECORDS_FAILED, MetricNames.QUERY_LATENCY, MetricNames.API_ERRORS,
                MetricNames.API_OUTAGES);
    }
}
