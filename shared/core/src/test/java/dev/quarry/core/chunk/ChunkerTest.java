package dev.quarry.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.core.Ids;
import dev.quarry.core.extract.ExtractionLimits;
import dev.quarry.core.extract.PdfExtractor;
import dev.quarry.model.Chunk;
import dev.quarry.model.ChunkSpan;
import dev.quarry.model.PageText;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChunkerTest {
    private static final ChunkSource SOURCE = new ChunkSource("acme", "doc-1", "etag-1", "manual.pdf", 0);
    private static final TokenCounter COUNTER = new WhitespaceTokenCounter();

    private static List<PageText> xspacePages;

    @BeforeAll
    static void extractRealPages() throws URISyntaxException {
        Path pdf = Path.of(ChunkerTest.class.getResource("/pdfs/texlive-latex-base-doc__xspace.pdf").toURI());
        xspacePages = new PdfExtractor(ExtractionLimits.defaults()).extractPages(pdf, 1, 6).pages();
    }

    @Test
    void no_chunk_exceeds_max_tokens_and_token_count_is_measured_on_the_text() {
        ChunkingOptions options = new ChunkingOptions(64, 16);

        List<Chunk> chunks = new Chunker(COUNTER, options).chunk(SOURCE, xspacePages);

        assertThat(chunks).hasSizeGreaterThan(10);
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.tokenCount()).isLessThanOrEqualTo(64).isEqualTo(COUNTER.count(c.text()));
            assertThat(c.text()).isNotBlank();
        });
    }

    @Test
    void chunk_text_is_the_span_texts_joined_with_one_space() {
        List<Chunk> chunks = new Chunker(COUNTER, new ChunkingOptions(64, 16)).chunk(SOURCE, xspacePages);

        for (Chunk chunk : chunks) {
            String joined = chunk.spans().stream()
                    .map(span -> spanText(xspacePages, span))
                    .collect(Collectors.joining(" "));
            assertThat(chunk.text()).isEqualTo(joined);
            assertThat(chunk.pageStart()).isEqualTo(chunk.spans().getFirst().page());
            assertThat(chunk.pageEnd()).isEqualTo(chunk.spans().getLast().page());
        }
    }

    @Test
    void chunks_start_and_end_at_word_boundaries() {
        List<Chunk> chunks = new Chunker(COUNTER, new ChunkingOptions(40, 8)).chunk(SOURCE, xspacePages);

        for (Chunk chunk : chunks) {
            for (ChunkSpan span : chunk.spans()) {
                String page = pageText(xspacePages, span.page());
                assertThat(splitsWord(page, span.start())).as("start of %s in %s", span, chunk.chunkId()).isFalse();
                assertThat(splitsWord(page, span.end())).as("end of %s in %s", span, chunk.chunkId()).isFalse();
                assertThat(Character.isWhitespace(page.charAt(span.start()))).isFalse();
                assertThat(Character.isWhitespace(page.charAt(span.end() - 1))).isFalse();
            }
        }
    }

    @Test
    void consecutive_chunks_share_an_overlap_of_at_most_overlap_tokens() {
        List<PageText> pages = List.of(new PageText(1, sentences(1, 60)), new PageText(2, sentences(61, 60)));
        ChunkingOptions options = new ChunkingOptions(50, 12);

        List<Chunk> chunks = new Chunker(COUNTER, options).chunk(SOURCE, pages);

        assertThat(chunks).hasSizeGreaterThan(5);
        for (int i = 1; i < chunks.size(); i++) {
            Chunk previous = chunks.get(i - 1);
            Chunk next = chunks.get(i);
            ChunkSpan tail = previous.spans().getLast();
            ChunkSpan head = next.spans().getFirst();
            assertThat(head.page()).isEqualTo(tail.page());
            assertThat(head.start()).as("chunk %d starts inside chunk %d", i, i - 1).isLessThan(tail.end());
            String shared = pageText(pages, tail.page()).substring(head.start(), tail.end());
            assertThat(previous.text()).endsWith(shared);
            assertThat(next.text()).startsWith(shared);
            assertThat(COUNTER.count(shared)).isLessThanOrEqualTo(options.overlapTokens());
        }
    }

    @Test
    void every_sentence_of_every_page_ends_up_in_some_chunk() {
        List<PageText> pages = List.of(new PageText(1, sentences(1, 40)), new PageText(2, ""),
                new PageText(3, sentences(41, 40)));

        List<Chunk> chunks = new Chunker(COUNTER, new ChunkingOptions(50, 12)).chunk(SOURCE, pages);

        String all = chunks.stream().map(Chunk::text).collect(Collectors.joining(" "));
        IntStream.rangeClosed(1, 80).forEach(n -> assertThat(all).contains("Sentence number " + n + " "));
        assertThat(chunks).flatExtracting(Chunk::spans).extracting(ChunkSpan::page).doesNotContain(2);
    }

    @Test
    void chunk_ids_are_deterministic_across_runs_and_ordinals_count_from_zero() {
        Chunker chunker = new Chunker(COUNTER, new ChunkingOptions(64, 16));

        List<Chunk> first = chunker.chunk(SOURCE, xspacePages);
        List<Chunk> second = new Chunker(COUNTER, new ChunkingOptions(64, 16)).chunk(SOURCE, xspacePages);

        assertThat(second).isEqualTo(first);
        assertThat(first).extracting(Chunk::ordinal).containsExactlyElementsOf(IntStream.range(0, first.size()).boxed().toList());
        assertThat(first).extracting(Chunk::chunkId).doesNotHaveDuplicates();
        assertThat(first.get(3).chunkId()).isEqualTo(Ids.chunkId("doc-1", "etag-1", 0, 3));
        assertThat(first).allSatisfy(c -> {
            assertThat(c.tenant()).isEqualTo("acme");
            assertThat(c.name()).isEqualTo("manual.pdf");
            assertThat(c.part()).isZero();
        });
    }

    @Test
    void a_new_version_gets_new_chunk_ids() {
        Chunker chunker = new Chunker(COUNTER, ChunkingOptions.defaults());
        ChunkSource nextVersion = new ChunkSource("acme", "doc-1", "etag-2", "manual.pdf", 0);

        assertThat(chunker.chunk(nextVersion, xspacePages).getFirst().chunkId())
                .isNotEqualTo(chunker.chunk(SOURCE, xspacePages).getFirst().chunkId());
    }

    @Test
    void a_chunk_crossing_a_page_boundary_has_one_span_per_page() {
        List<PageText> pages = List.of(new PageText(4, "Alpha one. Alpha two."), new PageText(5, "Beta one. Beta two."));

        List<Chunk> chunks = new Chunker(COUNTER, ChunkingOptions.defaults()).chunk(SOURCE, pages);

        assertThat(chunks).hasSize(1);
        Chunk chunk = chunks.getFirst();
        assertThat(chunk.text()).isEqualTo("Alpha one. Alpha two. Beta one. Beta two.");
        assertThat(chunk.spans()).containsExactly(new ChunkSpan(4, 0, 21), new ChunkSpan(5, 0, 19));
        assertThat(chunk.pageStart()).isEqualTo(4);
        assertThat(chunk.pageEnd()).isEqualTo(5);
    }

    @Test
    void paragraph_breaks_inside_a_page_stay_in_the_chunk_text_so_quotes_stay_verbatim() {
        List<PageText> pages = List.of(new PageText(1, "Introduction\n\nThis package is small."));

        Chunk chunk = new Chunker(COUNTER, ChunkingOptions.defaults()).chunk(SOURCE, pages).getFirst();

        assertThat(chunk.text()).isEqualTo("Introduction\n\nThis package is small.");
        assertThat(chunk.spans()).containsExactly(new ChunkSpan(1, 0, 36));
    }

    @Test
    void page_of_offset_maps_every_character_back_to_its_page() {
        List<PageText> pages = List.of(new PageText(1, sentences(1, 12)), new PageText(2, sentences(13, 12)),
                new PageText(3, sentences(25, 12)));
        Map<Integer, String> texts = pages.stream().collect(Collectors.toMap(PageText::page, PageText::text));

        List<Chunk> chunks = new Chunker(COUNTER, new ChunkingOptions(200, 20)).chunk(SOURCE, pages);

        Chunk multiPage = chunks.stream().filter(c -> c.spans().size() > 1).findFirst().orElseThrow();
        for (int offset = 0; offset < multiPage.text().length(); offset++) {
            int page = ChunkPages.pageOfOffset(multiPage, offset);
            int pageOffset = ChunkPages.pageTextOffset(multiPage, offset);
            if (multiPage.text().charAt(offset) != ' ') {
                assertThat(texts.get(page).charAt(pageOffset)).isEqualTo(multiPage.text().charAt(offset));
            }
        }
        int secondPageStart = multiPage.text().indexOf("Sentence number 13 ");
        assertThat(ChunkPages.pageOfOffset(multiPage, secondPageStart)).isEqualTo(2);
        assertThat(ChunkPages.pageOfOffset(multiPage, secondPageStart - 1)).isEqualTo(2);
        assertThat(ChunkPages.pageOfOffset(multiPage, secondPageStart - 2)).isEqualTo(1);
        assertThatThrownBy(() -> ChunkPages.pageOfOffset(multiPage, multiPage.text().length()))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void a_sentence_longer_than_max_tokens_is_split_between_words() {
        String longSentence = IntStream.range(0, 400).mapToObj(i -> "word" + i).collect(Collectors.joining(" "));
        List<PageText> pages = List.of(new PageText(1, longSentence + "."));

        List<Chunk> chunks = new Chunker(COUNTER, new ChunkingOptions(60, 10)).chunk(SOURCE, pages);

        assertThat(chunks).hasSizeGreaterThan(5).allSatisfy(c -> assertThat(c.tokenCount()).isLessThanOrEqualTo(60));
        List<String> seen = chunks.stream().flatMap(c -> List.of(c.text().split(" ")).stream()).toList();
        IntStream.range(0, 399).forEach(i -> assertThat(seen).contains("word" + i));
        assertThat(seen).contains("word399.");
    }

    @Test
    void a_single_word_longer_than_max_tokens_is_cut_rather_than_breaking_the_limit() {
        TokenCounter perChar = text -> text.replaceAll("\\s", "").length();
        String blob = "x".repeat(250);

        List<Chunk> chunks = new Chunker(perChar, new ChunkingOptions(100, 10)).chunk(SOURCE, List.of(new PageText(1, blob)));

        assertThat(chunks).allSatisfy(c -> assertThat(c.tokenCount()).isLessThanOrEqualTo(100));
        assertThat(chunks.stream().mapToInt(c -> c.text().length()).sum()).isGreaterThanOrEqualTo(250);
    }

    @Test
    void respects_max_tokens_when_a_counter_counts_more_for_joined_text_than_for_its_parts() {
        // every word costs one token, plus two per sentence boundary inside the text: sums of units undercount
        TokenCounter superAdditive = text -> text.split("\\s+").length + 2 * (text.split("\\. ").length - 1);
        List<PageText> pages = List.of(new PageText(1, sentences(1, 50)));

        List<Chunk> chunks = new Chunker(superAdditive, new ChunkingOptions(30, 6)).chunk(SOURCE, pages);

        assertThat(chunks).allSatisfy(c -> assertThat(c.tokenCount()).isLessThanOrEqualTo(30)
                .isEqualTo(superAdditive.count(c.text())));
        String all = chunks.stream().map(Chunk::text).collect(Collectors.joining(" "));
        IntStream.rangeClosed(1, 50).forEach(n -> assertThat(all).contains("Sentence number " + n + " "));
    }

    @Test
    void pages_without_text_produce_no_chunks() {
        List<PageText> pages = List.of(new PageText(1, ""), new PageText(2, ""));

        assertThat(new Chunker(COUNTER, ChunkingOptions.defaults()).chunk(SOURCE, pages)).isEmpty();
    }

    @Test
    void pages_of_only_invisible_characters_produce_no_chunks() {
        // zero-width spaces, a soft hyphen and a byte-order mark, private-use glyphs of a symbol font,
        // control characters, a lone combining tilde, the replacement character
        List<PageText> pages = List.of(new PageText(1, "\u200B\u200B\n\u00AD \uFEFF"), new PageText(2, "\uE000\uF0B7\n\u0000\u0007"),
                new PageText(3, "\u0303\n\uFFFD\n\u2060"));

        assertThat(new Chunker(COUNTER, ChunkingOptions.defaults()).chunk(SOURCE, pages)).isEmpty();
    }

    @Test
    void an_invisible_line_or_run_never_becomes_a_chunk_of_its_own() {
        String invisibleRun = " \u200B".repeat(60);
        List<PageText> pages = List.of(
                new PageText(1, "CONSOLIDATED BALANCE SHEETS\n\u200B\u200B\u200B\nCash 10 20\n\uF0B7\uF0B7\n"),
                new PageText(2, "Notes follow." + invisibleRun + "\n\u00AD\u00AD\n"),
                new PageText(3, "\uFEFF\n"));

        List<Chunk> chunks = new Chunker(COUNTER, new ChunkingOptions(8, 2)).chunk(SOURCE, pages);

        assertThat(chunks).isNotEmpty().allSatisfy(c -> assertThat(c.text())
                .as("chunk %d: %s", c.ordinal(), c.text().codePoints().mapToObj(cp -> String.format("U+%04X", cp)).toList())
                .matches(t -> Chunker.readable(t, 0, t.length())));
        String all = chunks.stream().map(Chunk::text).collect(Collectors.joining(" "));
        assertThat(all).contains("CONSOLIDATED BALANCE SHEETS", "Cash 10 20", "Notes follow.");
    }

    @Test
    void readable_means_a_character_that_is_not_space_control_format_private_or_a_lone_mark() {
        String invisible = "\u200B\u00AD\uFEFF\uE000\u0303\uFFFD \t\u0000";
        assertThat(Chunker.readable(invisible, 0, invisible.length())).isFalse();
        assertThat(Chunker.readable("\u200Ba", 0, 2)).isTrue();
        assertThat(Chunker.readable("\u200B.", 0, 2)).isTrue();
        assertThat(Chunker.readable("\u200B\u4E2D", 0, 2)).isTrue();
        assertThat(Chunker.readable("\u200B\uD83D\uDE00", 0, 3)).as("an emoji (a surrogate pair) is a symbol").isTrue();
    }

    @Test
    void rejects_pages_out_of_order() {
        List<PageText> pages = List.of(new PageText(2, "Two."), new PageText(1, "One."));

        assertThatThrownBy(() -> new Chunker(COUNTER, ChunkingOptions.defaults()).chunk(SOURCE, pages))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void chinese_text_without_spaces_is_chunked_within_the_limit() {
        TokenCounter perChar = text -> text.replaceAll("\\s", "").length();
        String page = "这是第一句话。".repeat(60);

        List<Chunk> chunks = new Chunker(perChar, new ChunkingOptions(50, 10)).chunk(SOURCE, List.of(new PageText(1, page)));

        assertThat(chunks).hasSizeGreaterThan(5).allSatisfy(c -> {
            assertThat(c.tokenCount()).isLessThanOrEqualTo(50);
            assertThat(c.text()).startsWith("这是第一句话。");
        });
    }

    /** "Sentence number n is here with a few words." for n in [first, first + count). */
    private static String sentences(int first, int count) {
        List<String> out = new ArrayList<>();
        for (int n = first; n < first + count; n++) {
            out.add("Sentence number " + n + " is here with a few words.");
        }
        return String.join(" ", out);
    }

    private static boolean splitsWord(String text, int offset) {
        return offset > 0 && offset < text.length()
                && Character.isLetterOrDigit(text.charAt(offset - 1)) && Character.isLetterOrDigit(text.charAt(offset));
    }

    private static String pageText(List<PageText> pages, int page) {
        return pages.stream().collect(Collectors.toMap(PageText::page, Function.identity())).get(page).text();
    }

    private static String spanText(List<PageText> pages, ChunkSpan span) {
        return pageText(pages, span.page()).substring(span.start(), span.end());
    }

    // --- tables and sections (financial statements) ---

    private static final String AUDITOR = "We have audited the accompanying consolidated balance sheets of the company "
            + "and the related statements of income, comprehensive income, shareholders equity and cash flows for each "
            + "of the three years in the period and the related notes and schedules.";

    private static String statement(int rows) {
        StringBuilder s = new StringBuilder("CONSOLIDATED STATEMENTS OF INCOME\n(In millions) 2018 2017 2016\n");
        for (int i = 0; i < rows; i++) {
            s.append("Line item number ").append(i).append(" 1,").append(100 + i).append(" 2,").append(200 + i)
                    .append(" 3,").append(300 + i).append('\n');
        }
        return s.toString().strip();
    }

    @Test
    void a_statement_starts_its_own_chunk_with_its_title_and_no_chunk_cuts_a_row() {
        List<PageText> pages = List.of(new PageText(45, AUDITOR), new PageText(46, statement(30)));

        List<Chunk> chunks = new Chunker(COUNTER, new ChunkingOptions(120, 20)).chunk(SOURCE, pages);

        Chunk title = chunks.stream().filter(c -> c.text().contains("CONSOLIDATED STATEMENTS OF INCOME")).findFirst().orElseThrow();
        assertThat(title.text()).startsWith("CONSOLIDATED STATEMENTS OF INCOME\n(In millions) 2018 2017 2016");
        assertThat(title.pageStart()).isEqualTo(46);
        for (Chunk c : chunks) {
            for (String line : c.text().split("\n")) {
                if (line.startsWith("Line item")) {
                    assertThat(line).as("a whole row").matches("Line item number \\d+ 1,\\d+ 2,\\d+ 3,\\d+");
                }
            }
        }
        List<Chunk> rowsLater = chunks.stream().filter(c -> c.pageStart() == 46 && !c.text().startsWith("CONSOLIDATED")).toList();
        assertThat(rowsLater).isNotEmpty().allSatisfy(c -> assertThat(c.section())
                .isEqualTo("CONSOLIDATED STATEMENTS OF INCOME | (In millions) 2018 2017 2016"));
    }

    @Test
    void every_chunk_carries_the_documents_context() {
        ChunkSource withContext = new ChunkSource("acme", "doc-1", "etag-1", "NIKE_2018_10K.pdf", 0,
                new dev.quarry.model.DocumentContext("NIKE 2018 10K", "NIKE, Inc.", "fiscal year ended May 31, 2018 (FY2018)"));

        List<Chunk> chunks = new Chunker(COUNTER, new ChunkingOptions(120, 20))
                .chunk(withContext, List.of(new PageText(46, statement(30))));

        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.context()).isEqualTo("NIKE 2018 10K | NIKE, Inc. | fiscal year ended May 31, 2018 (FY2018)");
            assertThat(c.text()).doesNotContain("NIKE");
            assertThat(c.embeddingText()).startsWith(c.context() + " | " + c.section() + "\n").endsWith(c.text());
        });
    }
}
