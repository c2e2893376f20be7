package dev.quarry.ai;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pure-Java counter against the tokenizer bge-small-en-v1.5 ships (its tokenizer.json through DJL's HuggingFace
 * binding, the JNI tokenizer the local build used to count with): the same count for every page of the real PDFs
 * in {@code ../shared/pdfs/real} and for the lines and words the chunker asks about.
 */
class BertTokenCounterTest {
    /** Pages per PDF: the first ones hold the titles, tables of contents and front matter with odd characters. */
    private static final int PAGES_PER_PDF = 40;

    private static HuggingFaceTokenizer model;
    private final BertTokenCounter counter = new BertTokenCounter();

    @BeforeAll
    static void modelTokenizer() throws IOException {
        try (InputStream json = BertTokenCounterTest.class.getResourceAsStream("/bge-small-en-v1.5-q-tokenizer.json")) {
            assertThat(json).as("bge tokenizer.json on the test classpath").isNotNull();
            model = HuggingFaceTokenizer.newInstance(json, Map.of("padding", "false", "truncation", "false"));
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void counts_every_page_of_the_real_pdfs_as_the_model_tokenizer_does() throws IOException {
        List<String> mismatches = new ArrayList<>();
        int pages = 0;
        long tokens = 0;
        for (Path pdf : realPdfs()) {
            try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
                PDFTextStripper stripper = new PDFTextStripper();
                int last = Math.min(document.getNumberOfPages(), PAGES_PER_PDF);
                for (int page = 1; page <= last; page++) {
                    stripper.setStartPage(page);
                    stripper.setEndPage(page);
                    String text = stripper.getText(document);
                    int expected = modelCount(text);
                    int actual = counter.count(text);
                    pages++;
                    tokens += expected;
                    if (actual != expected) {
                        mismatches.add(pdf.getFileName() + " page " + page + ": " + actual + " vs " + expected
                                + firstDifferentLine(text));
                    }
                }
            }
        }
        assertThat(pages).as("pages read").isGreaterThan(200);
        assertThat(tokens).as("tokens counted").isGreaterThan(100_000);
        assertThat(mismatches).as("pages counted differently from the model's tokenizer").isEmpty();
    }

    @Test
    void counts_hostile_snippets_as_the_model_tokenizer_does() {
        List<String> texts = List.of(
                "", " ", "\t\n", "Hello, World!", "naïve café Ångström façade", "ΣΊΣΥΦΟΣ ΟΔΟΣ", "İstanbul",
                "unaffable antidisestablishmentarianism", "$1,234.56 (2019) +/- 3% <x> a=b ^ `q` |p| ~z",
                "“quoted” — dashes – and ‘single’ … ellipsis", "中文字符和English混合", "日本語のテキスト", "한국어 텍스트",
                "x".repeat(101), "y".repeat(100), "zero\u200bwidth\u00adsoft\u00a0nbsp\u3000ideographic",
                "control\u0007bell\u000bvt\u000cff\u0085nel", "emoji 😀 and 🧬 dna", "[CLS] special [SEP] tokens[MASK]x",
                "ﬁnancial ﬂow ligatures", "Ⅻ ① ㎡ ™ © ®", "\ufffdreplacement", "tab\tseparated\tvalues",
                "ARABIC نص عربي", "Кириллица текст", "e\u0301 combining");
        for (String text : texts) {
            assertThat(counter.count(text)).as("tokens of %s", text).isEqualTo(modelCount(text));
        }
    }

    @Test
    void the_bundled_vocabulary_is_the_models() throws IOException {
        JsonNode vocab;
        try (InputStream json = BertTokenCounterTest.class.getResourceAsStream("/bge-small-en-v1.5-q-tokenizer.json")) {
            vocab = new ObjectMapper().readTree(json).path("model").path("vocab");
        }
        List<String> lines;
        try (InputStream in = BertTokenCounter.class.getResourceAsStream(BertTokenCounter.VOCABULARY)) {
            lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        }
        Map<String, Integer> bundled = new HashMap<>();
        for (int id = 0; id < lines.size(); id++) {
            bundled.put(lines.get(id), id);
        }
        Map<String, Integer> models = new HashMap<>();
        vocab.fields().forEachRemaining(e -> models.put(e.getKey(), e.getValue().asInt()));

        assertThat(bundled).hasSize(30_522).isEqualTo(models);
    }

    @Test
    void a_word_outside_the_vocabulary_is_one_unknown_token() {
        BertTokenCounter tiny = new BertTokenCounter(java.util.Set.of("un", "##aff", "##able", "a"));

        assertThat(tiny.count("unaffable")).isEqualTo(3);
        assertThat(tiny.count("unaffable a")).isEqualTo(4);
        assertThat(tiny.count("unaffablex")).as("no piece for the final x").isEqualTo(1);
        assertThat(tiny.count("a.a")).as("punctuation is a word of its own, here unknown").isEqualTo(3);
    }

    private static int modelCount(String text) {
        return model.encode(text, false, false).getTokens().length;
    }

    private String firstDifferentLine(String text) {
        return text.lines().filter(line -> counter.count(line) != modelCount(line)).findFirst()
                .map(line -> " (first line counted differently: \"" + line + "\" " + counter.count(line) + " vs "
                        + modelCount(line) + ")")
                .orElse("");
    }

    /** {@code ../shared/pdfs/real} beside the project root, or {@code -Dquarry.pdfs.dir}/real. */
    private static List<Path> realPdfs() throws IOException {
        String configured = System.getProperty("quarry.pdfs.dir");
        Path pdfs = null;
        if (configured != null && !configured.isBlank()) {
            pdfs = Path.of(configured);
        } else {
            for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                if (Files.isRegularFile(dir.resolve("infra/pipeline.json"))) {
                    pdfs = dir.resolve("../shared/pdfs");
                    break;
                }
            }
        }
        assertThat(pdfs).as("no Quarry checkout (infra/pipeline.json) above the working directory").isNotNull();
        Path real = pdfs.resolve("real").normalize();
        assertThat(real).as("The shared PDF corpus is missing at %s: put the shared/ folder beside the checkout or point "
                + "-Dquarry.pdfs.dir at a copy of its pdfs/ folder", real).isDirectory();
        try (Stream<Path> files = Files.list(real)) {
            List<Path> list = files.filter(f -> f.toString().endsWith(".pdf")).sorted().toList();
            assertThat(list).as("PDFs in %s", real).hasSizeGreaterThan(10);
            return list;
        }
    }
}
