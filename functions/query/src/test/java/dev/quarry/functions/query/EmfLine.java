package dev.quarry.functions.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.testsupport.Stdout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

/** One EMF line a request printed, read as CloudWatch reads it: each metric under its directive's dimension sets. */
record EmfLine(JsonNode root) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The EMF lines printed on stdout while {@code request} ran. */
    static List<EmfLine> printedBy(Runnable request) {
        return Stdout.of(request).stream().filter(l -> l.startsWith("{\"_aws\"")).map(EmfLine::parse).toList();
    }

    private static EmfLine parse(String text) {
        try {
            return new EmfLine(JSON.readTree(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directive that names {@code metric}, if any. */
    Optional<JsonNode> directiveOf(String metric) {
        return StreamSupport.stream(root.at("/_aws/CloudWatchMetrics").spliterator(), false)
                .filter(d -> StreamSupport.stream(d.path("Metrics").spliterator(), false).anyMatch(m -> m.path("Name").asText().equals(metric)))
                .findFirst();
    }

    /** The metric's value, as a number or an array of numbers; missing when the line does not hold it. */
    JsonNode value(String metric) {
        return directiveOf(metric).isPresent() ? root.path(metric) : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** A dimension's value (a top-level member). */
    String dimension(String name) {
        return root.path(name).asText(null);
    }
}
