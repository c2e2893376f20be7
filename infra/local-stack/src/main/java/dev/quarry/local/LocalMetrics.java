package dev.quarry.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CloudWatch's part for the local stack: the functions print their metrics as EMF lines on stdout, and this turns the
 * EMF lines of every function's log ({@code logs/function-*.log}) into one Prometheus text endpoint,
 * {@code http://127.0.0.1:<metrics-port>/metrics}. Like CloudWatch it keeps, per metric and dimension values, the
 * Sum and SampleCount of the values it read (as a Prometheus summary: {@code <name>_sum}, {@code <name>_count}, dots
 * in names as underscores, dimensions as labels). It makes no metric of its own: a metric exists here only because a
 * function emitted it. Logs are read when scraped, from where the previous scrape stopped; no thread.
 */
final class LocalMetrics implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Sum and SampleCount of one metric under one set of dimension values. */
    record Series(String name, Map<String, String> dimensions) {
    }

    private final Path logs;
    private final Map<Path, Long> offsets = new HashMap<>();
    private final Map<Series, double[]> series = new TreeMap<>((a, b) -> (a.name() + a.dimensions()).compareTo(b.name() + b.dimensions()));
    private final HttpServer server;

    /** Reads {@code logs} from their current ends on (earlier runs' lines are not this stack's); {@code port} 0 serves nothing. */
    LocalMetrics(Path logs, int port) throws IOException {
        this.logs = logs;
        for (Path log : functionLogs()) {
            offsets.put(log, Files.size(log));
        }
        if (port <= 0) {
            server = null;
            return;
        }
        server = LocalHttpServers.bind(port, 16);
        server.createContext("/metrics", exchange -> {
            byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** Reads what the functions printed since the last scrape; returns every series in Prometheus text format. */
    synchronized String scrape() throws IOException {
        for (Path log : functionLogs()) {
            read(log);
        }
        StringBuilder text = new StringBuilder();
        String typed = null;
        for (Map.Entry<Series, double[]> entry : series.entrySet()) {
            String name = entry.getKey().name().replace('.', '_').replace('-', '_');
            if (!name.equals(typed)) {
                text.append("# TYPE ").append(name).append(" summary\n");
                typed = name;
            }
            String labels = labels(entry.getKey().dimensions());
            text.append(name).append("_sum").append(labels).append(' ').append(format(entry.getValue()[0])).append('\n');
            text.append(name).append("_count").append(labels).append(' ').append(format(entry.getValue()[1])).append('\n');
        }
        return text.toString();
    }

    private List<Path> functionLogs() throws IOException {
        if (!Files.isDirectory(logs)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(logs)) {
            return files.filter(p -> p.getFileName().toString().matches("function-.*\\.log")).sorted().toList();
        }
    }

    private void read(Path log) throws IOException {
        long offset = offsets.getOrDefault(log, 0L);
        long size = Files.size(log);
        if (size < offset) {
            offset = 0; // a new file in the same place
        }
        if (size == offset) {
            return;
        }
        byte[] bytes;
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            file.seek(offset);
            bytes = new byte[(int) Math.min(size - offset, Integer.MAX_VALUE - 8)];
            file.readFully(bytes);
        }
        int end = lastNewline(bytes);
        if (end < 0) {
            return; // no complete line yet
        }
        offsets.put(log, offset + end + 1);
        for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("{\"_aws\"")) {
                accept(line);
            }
        }
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** One EMF line: each directive's metrics under each of its dimension sets. */
    void accept(String line) {
        JsonNode root;
        try {
            root = JSON.readTree(line);
        } catch (IOException e) {
            return; // not JSON after all: CloudWatch would keep it as a plain log event
        }
        for (JsonNode directive : root.path("_aws").path("CloudWatchMetrics")) {
            for (JsonNode dimensionSet : directive.path("Dimensions")) {
                Map<String, String> dimensions = new TreeMap<>();
                dimensionSet.forEach(d -> dimensions.put(d.asText(), root.path(d.asText()).asText()));
                for (JsonNode metric : directive.path("Metrics")) {
                    JsonNode value = root.path(metric.path("Name").asText());
                    List<JsonNode> values = new ArrayList<>();
                    if (value.isArray()) {
                        value.forEach(values::add);
                    } else if (value.isNumber()) {
                        values.add(value);
                    }
                    double[] sumCount = series.computeIfAbsent(new Series(metric.path("Name").asText(), dimensions), s -> new double[2]);
                    for (JsonNode v : values) {
                        sumCount[0] += v.asDouble();
                        sumCount[1] += 1;
                    }
                }
            }
        }
    }

    private static String labels(Map<String, String> dimensions) {
        if (dimensions.isEmpty()) {
            return "";
        }
        StringBuilder labels = new StringBuilder("{");
        dimensions.forEach((k, v) -> labels.append(labels.length() > 1 ? "," : "").append(k.replaceAll("[^A-Za-z0-9_]", "_"))
                .append("=\"").append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"'));
        return labels.append('}').toString();
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}
