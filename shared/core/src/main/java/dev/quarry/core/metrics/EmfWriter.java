package dev.quarry.core.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Writes what the registry's Quarry meters measured since the last flush as CloudWatch embedded metric format (EMF)
 * lines: in Lambda, a JSON line on stdout becomes a log event, and CloudWatch Logs turns each EMF line into metric
 * values. No agent, no API call, no thread: call {@link #flush()} at the end of every invocation.
 * <p>
 * Registries are cumulative; EMF wants the invocation's values. So each flush writes the difference from the
 * previous one: a counter's increase as one value; a timer's or summary's observations as their mean, once per
 * observation (at most 100, EMF's limit for a value array), so CloudWatch's Sum and SampleCount are exact, and its
 * percentiles too when an invocation observes once (one question, one record). Meters whose names do not start with
 * {@link MetricNames#PREFIX} (JVM, HTTP) are left out. Tags are the dimensions, declared per metric by
 * {@link MetricNames#dimensionSets(String)}; a metric broken down beyond its stage (the API's responses by route and
 * error) is also summed over the stage alone, and is written only when it moved, so that a sandbox that once saw a
 * route does not repeat its zeros on every invocation. Meters of different tag values share one line (one directive
 * each) unless their values conflict: an invocation that serves one request prints one line.
 * <p>
 * Spec: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
public final class EmfWriter {
    private static final int MAX_VALUES = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MeterRegistry registry;
    private final Consumer<String> out;
    private final LongSupplier epochMillis;
    private final Map<Meter.Id, double[]> previous = new HashMap<>();

    /**
     * @param out receives each EMF line (stdout in Lambda: {@code line -> System.out.println(line)})
     */
    public EmfWriter(MeterRegistry registry, Consumer<String> out, LongSupplier epochMillis) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.out = Objects.requireNonNull(out, "out");
        this.epochMillis = Objects.requireNonNull(epochMillis, "epochMillis");
    }

    /** Writes the Quarry meters' values since the previous flush; returns the lines written. */
    public synchronized List<String> flush() {
        Map<List<Tag>, Map<String, Object>> byDimensions = new LinkedHashMap<>();
        for (Meter meter : registry.getMeters()) {
            Meter.Id id = meter.getId();
            if (!id.getName().startsWith(MetricNames.PREFIX)) {
                continue;
            }
            List<List<String>> sets = dimensionSets(id);
            Object value = sinceLastFlush(meter);
            if (value != null && !(sets.size() > 1 && Long.valueOf(0).equals(value))) {
                byDimensions.computeIfAbsent(id.getTags(), t -> new LinkedHashMap<>()).put(id.getName(), value);
            }
        }
        List<List<Map.Entry<List<Tag>, Map<String, Object>>>> documents = new ArrayList<>();
        for (Map.Entry<List<Tag>, Map<String, Object>> group : byDimensions.entrySet()) {
            documents.stream().filter(d -> d.stream().allMatch(other -> compatible(other.getKey(), group.getKey())))
                    .findFirst().ifPresentOrElse(d -> d.add(group), () -> documents.add(new ArrayList<>(List.of(group))));
        }
        List<String> lines = new ArrayList<>();
        long timestamp = epochMillis.getAsLong();
        for (List<Map.Entry<List<Tag>, Map<String, Object>>> document : documents) {
            String line = line(timestamp, document);
            out.accept(line);
            lines.add(line);
        }
        return lines;
    }

    /** The metric's declared dimension sets; a meter whose tags are not the largest of them is a defect. */
    private static List<List<String>> dimensionSets(Meter.Id id) {
        List<List<String>> sets = MetricNames.dimensionSets(id.getName());
        List<String> keys = id.getTags().stream().map(Tag::getKey).sorted().toList();
        if (!keys.equals(sets.get(sets.size() - 1).stream().sorted().toList())) {
            throw new IllegalArgumentException("Meter " + id.getName() + " has tags " + keys + "; MetricNames declares "
                    + sets.get(sets.size() - 1));
        }
        return sets;
    }

    /** Two groups fit in one EMF document when no dimension has a different value in each (values are top-level members). */
    private static boolean compatible(List<Tag> a, List<Tag> b) {
        for (Tag x : a) {
            for (Tag y : b) {
                if (x.getKey().equals(y.getKey()) && !x.getValue().equals(y.getValue())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A counter's increase (0 included); a timer's or summary's values, or null when it observed nothing. */
    private Object sinceLastFlush(Meter meter) {
        double[] before = previous.getOrDefault(meter.getId(), new double[2]);
        if (meter instanceof Counter counter) {
            double now = counter.count();
            previous.put(meter.getId(), new double[] {now, 0});
            return number(now - before[0]);
        }
        double count;
        double total;
        if (meter instanceof Timer timer) {
            count = timer.count();
            total = timer.totalTime(TimeUnit.MILLISECONDS);
        } else if (meter instanceof DistributionSummary summary) {
            count = summary.count();
            total = summary.totalAmount();
        } else {
            return null; // gauges and the like: Quarry defines none
        }
        previous.put(meter.getId(), new double[] {count, total});
        long observed = (long) (count - before[0]);
        if (observed <= 0) {
            return null;
        }
        Object mean = number((total - before[1]) / observed);
        if (observed == 1) {
            return mean;
        }
        List<Object> values = new ArrayList<>();
        for (long i = 0; i < Math.min(observed, MAX_VALUES); i++) {
            values.add(mean);
        }
        return values;
    }

    private static Object number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? (Object) (long) value : (Object) value;
    }

    /** One EMF document: a directive per group of meters with the same tags, their dimension values and values at the top. */
    private static String line(long timestamp, List<Map.Entry<List<Tag>, Map<String, Object>>> groups) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", timestamp);
        ArrayNode directives = aws.putArray("CloudWatchMetrics");
        for (Map.Entry<List<Tag>, Map<String, Object>> group : groups) {
            ObjectNode directive = directives.addObject();
            directive.put("Namespace", MetricNames.NAMESPACE);
            for (Tag tag : group.getKey()) {
                root.put(tag.getKey(), tag.getValue());
            }
            ArrayNode dimensions = directive.putArray("Dimensions");
            for (List<String> set : MetricNames.dimensionSets(group.getValue().keySet().iterator().next())) {
                ArrayNode keys = dimensions.addArray();
                set.forEach(keys::add);
            }
            ArrayNode metrics = directive.putArray("Metrics");
            for (Map.Entry<String, Object> value : group.getValue().entrySet()) {
                metrics.addObject().put("Name", value.getKey()).put("Unit", MetricNames.unit(value.getKey()));
                root.set(value.getKey(), JSON.valueToTree(value.getValue()));
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Cannot write an EMF line", e);
        }
    }
}
