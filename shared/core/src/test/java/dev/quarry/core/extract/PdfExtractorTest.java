package dev.quarry.core.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.quarry.core.extract.PdfExtractor.PagesResult;
import dev.quarry.model.DocumentMetadata;
import dev.quarry.model.DocumentRejectedException;
import dev.quarry.model.ErrorCode;
import dev.quarry.model.PageText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PdfExtractorTest {
    private static final Path XSPACE = fixture("texlive-latex-base-doc__xspace.pdf");
    private static final Path REFCARD = fixture("octave-doc__refcard-a4.pdf");
    private static final Path SSH_DIAGRAM = fixture("debian-handbook__ssh-L.pdf");
    private static final Path ENCRYPTED_WITH_PASSWORD = fixture("tricky/encrypted-user-password.pdf");
    private static final Path ENCRYPTED_EMPTY_PASSWORD = fixture("tricky/encrypted-empty-user-password.pdf");
    private static final Path IMAGE_ONLY = fixture("tricky/image-only-encrypted-empty-user-password.pdf");
    private static final Path MISSING_ROOT = fixture("tricky/malformed-missing-root.pdf");
    private static final Path NO_PAGES = fixture("tricky/no-pages.pdf");
    private static final Path LEADING_JUNK = fixture("tricky/leading-junk.pdf");

    private final PdfExtractor extractor = new PdfExtractor(ExtractionLimits.defaults());

    @TempDir
    Path tmp;

    @Test
    void inspect_reads_metadata_and_page_count() {
        PdfInfo info = extractor.inspect(XSPACE);

        assertThat(info.pageCount()).isEqualTo(6);
        assertThat(info.metadata())
                .isEqualTo(new DocumentMetadata("The xspace package", "David Carlisle ; Morten Høgholm",
                        "pdfTeX-1.40.24", 6, false));
    }

    @Test
    void inspect_reports_absent_metadata_as_null() {
        DocumentMetadata metadata = extractor.inspect(REFCARD).metadata();

        assertThat(metadata.title()).isNull();
        assertThat(metadata.author()).isNull();
        assertThat(metadata.producer()).isEqualTo("pdfTeX-1.40.24");
    }

    @Test
    void extracts_each_page_of_a_latex_document_into_its_own_page_text() {
        PagesResult result = extractor.extractPages(XSPACE, 1, 6);

        assertThat(result.warnings()).isEmpty();
        assertThat(result.pages()).extracting(PageText::page).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(text(result, 1))
                .contains("David Carlisle Morten Høgholm")
                .contains("Great Britain is a very nice place to live.")
                .doesNotContain("Support for active characters");
        assertThat(text(result, 2))
                .contains("1.1 Adding new exceptions")
                .contains("1.2 Support for active characters")
                .contains("\\xspaceaddexceptions{\\footnoteA \\footnoteB}");
        assertThat(text(result, 6)).contains("That’s all, folks!");
    }

    @Test
    void extracted_pages_are_already_clean() {
        for (PageText page : extractor.extractPages(XSPACE, 1, 6).pages()) {
            assertThat(TextCleaner.clean(page.text())).isEqualTo(page.text());
            assertThat(page.text()).doesNotContain("\r", "\t", "\n\n\n", "  ");
        }
    }

    @Test
    void extracts_only_the_requested_range() {
        PagesResult result = extractor.extractPages(XSPACE, 2, 3);

        assertThat(result.pages()).extracting(PageText::page).containsExactly(2, 3);
        assertThat(text(result, 2)).contains("1.2 Support for active characters");
    }

    @Test
    void caps_the_range_at_the_last_page() {
        assertThat(extractor.extractPages(SSH_DIAGRAM, 1, 99).pages()).extracting(PageText::page).containsExactly(1);
    }

    @Test
    void rejects_a_range_that_starts_after_the_last_page() {
        assertThatThrownBy(() -> extractor.extractPages(SSH_DIAGRAM, 2, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .isNotInstanceOf(DocumentRejectedException.class)
                .hasMessageContaining("1 pages");
    }

    @Test
    void reads_a_three_column_page_column_by_column() {
        String page = text(extractor.extractPages(REFCARD, 1, 1), 1);

        // column 1 ends with "Inserting or Changing Text", column 2 starts with "Killing and Yanking",
        // column 2 ends with "Multi-dimensional Arrays", column 3 holds "Sparse Matrices"
        assertThat(page.indexOf("transpose words at the point")).isPositive()
                .isLessThan(page.indexOf("Killing and Yanking"));
        assertThat(page.indexOf("Multi-dimensional Arrays")).isPositive()
                .isLessThan(page.indexOf("Sparse Matrices"));
        assertThat(page).contains("octave --eval code Evaluate code using Octave");
    }

    @Test
    void extracts_labels_of_a_vector_diagram_and_keeps_a_real_hyphen_at_line_end() {
        String page = text(extractor.extractPages(SSH_DIAGRAM, 1, 1), 1);

        assertThat(page).contains("Mellommann", "Tjenermaskin", "Lokal", "SSH-forbindelse", "8000");
    }

    @Test
    void rejects_empty_file_with_reason(@TempDir Path dir) throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.pdf"));

        assertRejected(() -> extractor.inspect(empty), ErrorCode.EMPTY_FILE, "The file is empty (0 bytes).");
        assertRejected(() -> extractor.extractPages(empty, 1, 1), ErrorCode.EMPTY_FILE, "The file is empty (0 bytes).");
    }

    @Test
    void rejects_a_text_file_named_pdf() throws Exception {
        Path notPdf = Files.writeString(tmp.resolve("x.pdf"), "Just some notes, not a PDF at all.\n");

        DocumentRejectedException e = rejection(() -> extractor.inspect(notPdf));

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_A_PDF);
        assertThat(e.reason()).startsWith("The file is not a PDF (no %PDF- header");
    }

    @Test
    void rejects_a_file_over_the_size_limit_naming_both_sizes() {
        PdfExtractor small = new PdfExtractor(new ExtractionLimits(1000, 5000, Duration.ofSeconds(30)));

        DocumentRejectedException e = rejection(() -> small.inspect(SSH_DIAGRAM));

        assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(e.reason()).contains("9205").contains("1000");
    }

    @Test
    void rejects_a_pdf_with_more_pages_than_allowed() {
        PdfExtractor fivePages = new PdfExtractor(new ExtractionLimits(1L << 30, 5, Duration.ofSeconds(30)));

        DocumentRejectedException e = rejection(() -> fivePages.extractPages(XSPACE, 1, 1));

        assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_PAGES);
        assertThat(e.reason()).isEqualTo("The PDF has 6 pages; the limit is 5 pages.");
    }

    @Test
    void rejects_encrypted_pdf_with_reason() {
        String reason = "The PDF is encrypted with a password; upload an unencrypted copy.";

        assertRejected(() -> extractor.inspect(ENCRYPTED_WITH_PASSWORD), ErrorCode.ENCRYPTED, reason);
        assertRejected(() -> extractor.extractPages(ENCRYPTED_WITH_PASSWORD, 1, 1), ErrorCode.ENCRYPTED, reason);
    }

    @Test
    void extracts_a_pdf_encrypted_with_an_empty_user_password() {
        PdfInfo info = extractor.inspect(ENCRYPTED_EMPTY_PASSWORD);
        PagesResult result = extractor.extractPages(ENCRYPTED_EMPTY_PASSWORD, 1, 30);

        assertThat(info.metadata().encrypted()).isTrue();
        assertThat(info.pageCount()).isEqualTo(30);
        assertThat(text(result, 1)).isEqualTo("Potato 0");
        assertThat(text(result, 30)).isEqualTo("Potato 29");
    }

    @Test
    void image_only_pdf_yields_empty_pages_without_warnings() {
        PagesResult result = extractor.extractPages(IMAGE_ONLY, 1, 2);

        assertThat(result.pages()).hasSize(2).allSatisfy(page -> assertThat(page.text()).isEmpty());
        assertThat(result.hasNoText()).isTrue();
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void rejects_a_malformed_pdf_with_pdfbox_reason() {
        DocumentRejectedException e = rejection(() -> extractor.inspect(MISSING_ROOT));

        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED);
        assertThat(e.reason()).isEqualTo("The PDF is damaged and cannot be read (Missing root object specification in trailer.).");
    }

    @Test
    void rejects_a_pdf_without_pages_as_malformed() {
        DocumentRejectedException e = rejection(() -> extractor.inspect(NO_PAGES));

        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED);
        assertThat(e.reason()).contains("no pages");
    }

    @Test
    void rejects_garbage_after_a_pdf_header_as_malformed() throws Exception {
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        Path file = tmp.resolve("junk.pdf");
        Files.write(file, "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII));
        Files.write(file, junk, java.nio.file.StandardOpenOption.APPEND);

        assertThat(rejection(() -> extractor.inspect(file)).code()).isEqualTo(ErrorCode.MALFORMED);
    }

    @Test
    void rejects_a_pdf_cut_in_half_that_lost_its_root_as_malformed() throws Exception {
        byte[] whole = Files.readAllBytes(XSPACE);
        Path half = Files.write(tmp.resolve("half.pdf"), Arrays.copyOf(whole, whole.length / 2));

        DocumentRejectedException e = rejection(() -> extractor.inspect(half));

        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED);
        assertThat(e.reason()).isEqualTo("The PDF is damaged and cannot be read (Missing root object specification in trailer.).");
    }

    @Test
    void recovers_every_page_of_a_pdf_cut_off_before_its_cross_reference_table() throws Exception {
        byte[] whole = threePagePdf();
        int xref = new String(whole, StandardCharsets.ISO_8859_1).lastIndexOf("\nxref\n");
        assertThat(xref).as("an uncompressed PDF has a classic xref table").isPositive();
        Path cut = Files.write(tmp.resolve("cut.pdf"), Arrays.copyOf(whole, xref + 1));

        PdfInfo info = extractor.inspect(cut);
        PagesResult result = extractor.extractPages(cut, 1, info.pageCount());

        assertThat(info.pageCount()).isEqualTo(3);
        assertThat(result.pages()).extracting(PageText::text)
                .containsExactly("Page 1 survives the cut.", "Page 2 survives the cut.", "Page 3 survives the cut.");
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void accepts_leading_junk_before_the_pdf_header() {
        PagesResult result = extractor.extractPages(LEADING_JUNK, 1, 30);

        assertThat(text(result, 7)).isEqualTo("Potato 6");
    }

    @Test
    void the_configured_timeout_ends_extraction_with_its_reason() {
        PdfExtractor impatient = new PdfExtractor(new ExtractionLimits(1L << 30, 5000, Duration.ofMillis(1)));

        DocumentRejectedException e = rejection(() -> impatient.extractPages(XSPACE, 1, 6));

        assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(e.reason()).startsWith("Reading the PDF took longer than").contains("too complex or damaged");
    }

    @Test
    void a_missing_file_is_an_io_problem_not_a_rejected_document() {
        assertThatThrownBy(() -> extractor.inspect(tmp.resolve("missing.pdf")))
                .isInstanceOf(UncheckedIOException.class);
    }

    /** Three pages of Helvetica text, saved without object streams so the file ends in a classic xref table. */
    private static byte[] threePagePdf() throws IOException {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDType1Font helvetica = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (int i = 1; i <= 3; i++) {
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                    content.beginText();
                    content.setFont(helvetica, 12);
                    content.newLineAtOffset(72, 700);
                    content.showText("Page " + i + " survives the cut.");
                    content.endText();
                }
            }
            doc.save(out, CompressParameters.NO_COMPRESSION);
            return out.toByteArray();
        }
    }

    private static String text(PagesResult result, int page) {
        return result.pages().stream().filter(p -> p.page() == page).findFirst().orElseThrow().text();
    }

    private static void assertRejected(Runnable call, ErrorCode code, String reason) {
        DocumentRejectedException e = rejection(call);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.reason()).isEqualTo(reason);
    }

    private static DocumentRejectedException rejection(Runnable call) {
        DocumentRejectedException e = catchThrowableOfType(DocumentRejectedException.class, call::run);
        assertThat(e).as("expected a DocumentRejectedException").isNotNull();
        return e;
    }

    static Path fixture(String name) {
        try {
            return Path.of(PdfExtractorTest.class.getResource("/pdfs/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("Missing test PDF " + name, e);
        }
    }
}
