package dev.quarry.core.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quarry.core.extract.PdfExtractor.PagesResult;
import dev.quarry.model.DocumentRejectedException;
import dev.quarry.model.PageText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs every file of the shared corpus of hostile PDFs through the extractor. Skipped where the
 * corpus is not mounted; point {@code -Dquarry.pdfs.dir} at another copy to run it elsewhere.
 */
class TrickyCorpusSweepTest {
    private static final Path CORPUS = Path.of(System.getProperty("quarry.pdfs.dir", "/work/shared/pdfs"));
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Thread hand-off and the caller's own bookkeeping on a busy 2-core machine. */
    private static final Duration SLACK = Duration.ofSeconds(3);

    @Test
    void every_tricky_file_extracts_or_is_rejected_within_the_timeout() throws IOException {
        Path tricky = CORPUS.resolve("tricky");
        assumeTrue(Files.isDirectory(tricky), "tricky PDF corpus not present at " + tricky);
        PdfExtractor extractor = new PdfExtractor(new ExtractionLimits(100L << 20, 5000, TIMEOUT));

        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (Path pdf : pdfsUnder(tricky)) {
            String name = tricky.relativize(pdf).toString();
            String outcome;
            long start = System.nanoTime();
            try {
                PdfInfo info = extractor.inspect(pdf);
                PagesResult result = extractor.extractPages(pdf, 1, info.pageCount());
                outcome = result.hasNoText() ? "EXTRACTED_NO_TEXT" : "EXTRACTED";
            } catch (DocumentRejectedException e) {
                outcome = e.code().name();
                if (e.reason() == null || e.reason().isBlank()) {
                    failures.add(name + ": rejected without a reason");
                }
            } catch (RuntimeException | Error e) {
                outcome = "UNEXPECTED";
                failures.add(name + ": " + e);
            }
            // two calls, each bounded by the timeout
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (took.compareTo(TIMEOUT.multipliedBy(2).plus(SLACK)) > 0) {
                failures.add(name + ": took " + took.toMillis() + " ms");
            }
            outcomes.merge(outcome, 1, Integer::sum);
            // The corpus is sorted into folders by what a reader must do with each file.
            String category = tricky.relativize(pdf).getName(0).toString();
            if (category.equals("encrypted-user-password") && !outcome.equals("ENCRYPTED")) {
                failures.add(name + ": needs a password, so it must be rejected as ENCRYPTED, was " + outcome);
            }
            if (category.equals("encrypted-empty-user-password") && !outcome.startsWith("EXTRACTED")) {
                failures.add(name + ": opens with the empty user password, so it must be read, was " + outcome);
            }
        }
        System.out.println("Tricky PDF sweep outcomes: " + outcomes);

        assertThat(failures).isEmpty();
        assertThat(outcomes).doesNotContainKey("UNEXPECTED").isNotEmpty();
    }

    @Test
    void a_real_image_only_scan_yields_no_text() {
        Path scan = CORPUS.resolve("real/texlive-lang-chinese__Lenna_e.pdf");
        assumeTrue(Files.isRegularFile(scan), "real PDF corpus not present at " + scan.getParent());

        PagesResult result = new PdfExtractor(ExtractionLimits.defaults()).extractPages(scan, 1, 1);

        assertThat(result.pages()).extracting(PageText::text).containsExactly("");
        assertThat(result.hasNoText()).isTrue();
    }

    private static List<Path> pdfsUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".pdf")).sorted().toList();
        }
    }
}
