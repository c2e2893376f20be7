package dev.quarry.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One document's journey through the real local stack is one filter on {@code documentId} in the functions' JSON
 * logs: every stage's lines about it carry the correlating fields (MDC), and no line holds its text.
 */
@ExtendWith(StackSession.class)
class CorrelatedLogsIT {
    private static final List<String> PIPELINE = List.of("extract", "chunk", "embed", "index");
    private static StackConfig config;
    private static Path pdf;

    @BeforeAll
    static void setUp() {
        config = StackSession.ensure();
        pdf = config.projectRoot().resolve("shared/core/src/test/resources/pdfs/texlive-latex-base-doc__xspace.pdf");
    }

    /** One line of a function's log: the file it is in, the parsed JSON (null when the line is not JSON) and its text. */
    record Line(String file, JsonNode json, String text) {
        String mdc(String field) {
            return json == null ? null : json.path("mdc").path(field).asText(null);
        }

        /** Every string the line holds (message, exception, fields), unescaped, whitespace folded. */
        String content() {
            if (json == null) {
                return fold(text);
            }
            List<String> values = new ArrayList<>();
            collect(json, values);
            return fold(String.join(" ", values));
        }

        private static void collect(JsonNode node, List<String> into) {
            if (node.isTextual()) {
                into.add(node.asText());
            }
            node.forEach(child -> collect(child, into));
        }
    }

    @Test
    void a_documents_journey_through_every_stage_is_one_filter_on_its_id_and_its_text_is_never_logged() throws Exception {
        Api api = new Api(config, "it-logs-" + UUID.randomUUID().toString().substring(0, 8));
        String id = api.upload("xspace.pdf", pdf);
        JsonNode done = api.awaitTerminal(List.of(id), Duration.ofMinutes(5)).get(id);
        assertThat(done.path("status").asText()).as("%s", done).isEqualTo("READY");

        // The index stage's last line for the document follows READY by a moment.
        List<Line> journey = Await.until("the index stage's lines about " + id, Duration.ofSeconds(30),
                () -> functionLines().stream().filter(l -> id.equals(l.mdc("documentId"))).toList(),
                lines -> lines.stream().anyMatch(l -> "index".equals(l.mdc("stage"))));

        Set<String> stages = journey.stream().map(l -> l.mdc("stage")).collect(Collectors.toSet());
        assertThat(stages).as("stages whose lines carry the document's id").containsAll(PIPELINE).contains("query");
        assertThat(journey).allSatisfy(l -> assertThat(l.mdc("tenant")).as("%s", l.text()).isEqualTo(api.tenant));
        List<Line> pipeline = journey.stream().filter(l -> PIPELINE.contains(l.mdc("stage"))).toList();
        assertThat(pipeline).allSatisfy(l -> {
            assertThat(l.mdc("version")).as("version of %s", l.text()).isNotBlank();
            assertThat(l.mdc("messageId")).as("messageId of %s", l.text()).isNotBlank();
            assertThat(l.mdc("attempt")).as("attempt of %s", l.text()).matches("[1-9][0-9]*");
            assertThat(l.mdc("requestId")).as("requestId of %s", l.text()).isNotBlank();
        });
        assertThat(pipeline.stream().map(l -> l.mdc("version")).distinct()).as("one upload, one version").hasSize(1);
        assertThat(pipeline).filteredOn(l -> Set.of("chunk", "embed", "index").contains(l.mdc("stage")))
                .allSatisfy(l -> assertThat(l.mdc("part")).as("part of %s", l.text()).matches("[0-9]+"));
        for (String stage : PIPELINE) {
            assertThat(pipeline).as("the %s stage says how each of its records went", stage)
                    .anySatisfy(l -> {
                        assertThat(l.mdc("stage")).isEqualTo(stage);
                        assertThat(l.json().path("message").asText()).startsWith("Processed ObjectCreated");
                    });
        }

        // A line that names the document (its id or its key) is found by the filter too.
        List<Line> all = functionLines();
        String key = "documents/" + api.tenant + "/xspace.pdf";
        assertThat(all).filteredOn(l -> l.json() != null && (l.json().path("message").asText().contains(id)
                        || l.json().path("message").asText().contains(key)))
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l.mdc("documentId")).as("%s", l.text()).isEqualTo(id));

        List<String> sentences = sentences(pdf);
        assertThat(sentences).as("sentences of the PDF to look for").hasSizeGreaterThan(5);
        for (Line line : all) {
            String content = line.content();
            assertThat(sentences).as("a sentence of the PDF in %s: %s", line.file(), line.text())
                    .noneMatch(content::contains);
        }
    }

    /** Every line of every function's log (all sandboxes, all runs of the stack). */
    private static List<Line> functionLines() {
        try (Stream<Path> files = Files.list(config.logs())) {
            List<Line> lines = new ArrayList<>();
            for (Path file : files.filter(f -> f.getFileName().toString().matches("function-.*\\.log")).sorted().toList()) {
                for (String text : Files.readAllLines(file)) {
                    lines.add(new Line(file.getFileName().toString(), json(text), text));
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(String text) {
        if (!text.startsWith("{")) {
            return null;
        }
        try {
            return Api.JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    /** The PDF's sentences of eight words or more, whitespace folded: what a line quoting its text would hold. */
    private static List<String> sentences(Path file) throws IOException {
        try (PDDocument doc = Loader.loadPDF(file.toFile())) {
            String text = fold(new PDFTextStripper().getText(doc));
            return Arrays.stream(text.split("(?<=[.!?])\\s+")).map(String::strip)
                    .filter(s -> s.split(" ").length >= 8).distinct().toList();
        }
    }

    private static String fold(String s) {
        return s.replaceAll("\\s+", " ");
    }
}
