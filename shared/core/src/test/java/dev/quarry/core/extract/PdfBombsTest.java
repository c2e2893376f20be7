package dev.quarry.core.extract;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile PDFs read as the extract function reads them, each in a JVM of its own with a heap smaller than the function's
 * (256 MiB; the local sandbox has 384, Lambda 2 GiB): each must end with pages or a reason within its time budget, never
 * with an OutOfMemoryError or a hang.
 */
class PdfBombsTest {
    private static final String HEAP = "-Xmx256m";
    private static final int BUDGET_SECONDS = 30;

    @TempDir
    static Path dir;

    private static Path textBomb;

    @BeforeAll
    static void build() throws IOException {
        textBomb = PdfBombs.textBomb(dir, 1024);
    }

    @Test
    void a_small_stream_that_decodes_to_a_gigabyte_of_text_operators_skips_its_page_with_the_reason() throws Exception {
        assertThat(textBomb.toFile().length()).as("compressed size").isLessThan(4L * 1024 * 1024);

        List<String> out = probe(textBomb);

        assertThat(out).contains("READY 1 0 1")
                .anySatisfy(line -> assertThat(line).startsWith("WARNING Page 1: skipped, it draws more than 200,000 characters"));
    }

    @Test
    void a_document_that_claims_a_million_pages_is_refused_for_its_page_count() throws Exception {
        assertThat(probe(PdfBombs.millionPages(dir)))
                .contains("REJECTED TOO_MANY_PAGES The PDF has 1000000 pages; the limit is 5000 pages.");
    }

    @Test
    void a_page_tree_of_a_hundred_thousand_leaves_is_refused_for_its_page_count() throws Exception {
        assertThat(probe(PdfBombs.hugePageTree(dir, 100_000)))
                .contains("REJECTED TOO_MANY_PAGES The PDF has 100000 pages; the limit is 5000 pages.");
    }

    @Test
    void arrays_nested_a_hundred_thousand_deep_in_the_resources_or_the_content_leave_the_page_text() throws Exception {
        assertThat(probe(PdfBombs.deepNesting(dir, 100_000))).anySatisfy(line -> assertThat(line).startsWith("READY 1 "));
        assertThat(probe(PdfBombs.deepContentNesting(dir, 100_000))).anySatisfy(line -> assertThat(line).matches("READY 1 [1-9]\\d* \\d+"));
    }

    @Test
    void a_page_tree_that_contains_itself_ends() throws Exception {
        assertThat(probe(PdfBombs.cyclicPageTree(dir))).anySatisfy(line -> assertThat(line).startsWith("READY "));
    }

    /** Runs {@link BombProbe} with the small heap; the probe prints its result as its last lines. */
    private static List<String> probe(Path pdf) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), HEAP, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                BombProbe.class.getName(), pdf.toString(), String.valueOf(BUDGET_SECONDS))
                .redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        boolean ended = p.waitFor(BUDGET_SECONDS * 3L, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(ended).as("the probe ended within 3x the time budget: %s", text).isTrue();
        assertThat(text).as("no OutOfMemoryError").doesNotContain("OutOfMemoryError");
        assertThat(p.exitValue()).as(text).isZero();
        return text.lines().filter(l -> l.startsWith("READY") || l.startsWith("REJECTED") || l.startsWith("WARNING")).toList();
    }
}
