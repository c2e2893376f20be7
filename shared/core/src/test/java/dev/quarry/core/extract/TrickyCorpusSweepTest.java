package dev.quarry.core.extract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.core.chunk.ChunkSource;
import dev.quarry.core.chunk.Chunker;
import dev.quarry.core.chunk.ChunkingOptions;
import dev.quarry.core.chunk.WhitespaceTokenCounter;
import dev.quarry.core.extract.PdfExtractor.PagesResult;
import dev.quarry.model.Chunk;
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
 * Runs every file of the shared corpus of hostile PDFs ({@code ../shared/pdfs} beside the project,
 * too large for the repository) through the extractor. It fails, saying so, where the corpus is
 * missing; point {@code -Dquarry.pdfs.dir} at another copy to run it elsewhere.
 */
class TrickyCorpusSweepTest {
    private static final Path CORPUS = corpus();

    @Test
    void every_tricky_file_extracts_or_is_rejected_with_a_reason() throws IOException {
        Path tricky = required(CORPUS.resolve("tricky"));
        // Files that keep PDFBox busy end as TIMEOUT, a rejection with a reason like any other.
        PdfExtractor extractor = new PdfExtractor(new ExtractionLimits(100L << 20, 5000, Duration.ofSeconds(10)));

        Chunker chunker = new Chunker(new WhitespaceTokenCounter(), new ChunkingOptions(64, 8));
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (Path pdf : pdfsUnder(tricky)) {
            String name = tricky.relativize(pdf).toString();
            String outcome;
            try {
                PdfInfo info = extractor.inspect(pdf);
                PagesResult result = extractor.extractPages(pdf, 1, info.pageCount());
                outcome = result.hasNoText() ? "EXTRACTED_NO_TEXT" : "EXTRACTED";
                // The embed stage refuses a chunk a tokenizer reads as empty: the chunker must never make one.
                for (Chunk chunk : chunker.chunk(new ChunkSource("t", "d", "v", pdf.getFileName().toString(), 0), result.pages())) {
                    if (chunk.text().codePoints().noneMatch(TrickyCorpusSweepTest::visible)) {
                        failures.add(name + ": chunk " + chunk.ordinal() + " has nothing a model can read: "
                                + chunk.text().codePoints().mapToObj(c -> String.format("U+%04X", c)).limit(20).toList());
                    }
                }
            } catch (DocumentRejectedException e) {
                outcome = e.code().name();
                if (e.reason() == null || e.reason().isBlank()) {
                    failures.add(name + ": rejected without a reason");
                }
            } catch (RuntimeException | Error e) {
                outcome = "UNEXPECTED";
                failures.add(name + ": " + e);
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
        Path scan = required(CORPUS.resolve("real")).resolve("texlive-lang-chinese__Lenna_e.pdf");

        PagesResult result = new PdfExtractor(ExtractionLimits.defaults()).extractPages(scan, 1, 1);

        assertThat(result.pages()).extracting(PageText::text).containsExactly("");
        assertThat(result.hasNoText()).isTrue();
    }

    /** A letter, digit, punctuation mark or symbol: what a WordPiece tokenizer keeps. */
    private static boolean visible(int c) {
        return Character.isLetterOrDigit(c) || switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION,
                    Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
            default -> false;
        };
    }

    /**
     * {@code -Dquarry.pdfs.dir}, else {@code ../shared/pdfs} beside the project root: the closest folder
     * holding infra/pipeline.json at or above {@code -Dquarry.project.root} or the working directory.
     */
    private static Path corpus() {
        String configured = System.getProperty("quarry.pdfs.dir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path start = Path.of(System.getProperty("quarry.project.root", "")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("infra/pipeline.json"))) {
                return dir.resolve("../shared/pdfs").normalize();
            }
        }
        throw new IllegalStateException("No Quarry checkout (infra/pipeline.json) at or above " + start);
    }

    private static Path required(Path dir) {
        assertThat(dir).as("The shared PDF corpus is missing at %s: put the shared/ folder (pdfs/real, pdfs/tricky) beside "
                + "the project checkout, or point -Dquarry.pdfs.dir at a copy of its pdfs/ folder", dir).isDirectory();
        return dir;
    }

    private static List<Path> pdfsUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".pdf")).sorted().toList();
        }
    }
}
