package dev.quarry.core.extract;

import dev.quarry.model.DocumentMetadata;
import dev.quarry.model.DocumentRejectedException;
import dev.quarry.model.ErrorCode;
import dev.quarry.model.PageText;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * Validates PDFs and extracts their text page by page with PDFBox.
 *
 * <p>Every problem caused by the file itself ends as a {@link DocumentRejectedException} with an
 * {@link ErrorCode} and a reason written for the uploader; nothing else escapes for bad input. Each
 * call runs on its own daemon thread and is abandoned after {@link ExtractionLimits#timeout()}, so a
 * PDF that sends PDFBox into a loop costs one thread, not the function. The abandoned thread is
 * interrupted and its file closed, which ends it as soon as it next touches the file.
 */
public final class PdfExtractor {
    private static final int HEADER_WINDOW = 1024;
    private static final byte[] PDF_MAGIC = "%PDF-".getBytes(StandardCharsets.US_ASCII);
    /** Decoded streams above this spill to temp files instead of the heap. */
    private static final long STREAM_CACHE_MEMORY_BYTES = 16L * 1024 * 1024;
    /** PDFBox recurses over nested page trees and forms; a deep but legal file needs more than the default. */
    private static final long WORKER_STACK_BYTES = 16L * 1024 * 1024;
    private static final int MAX_DETAIL_CHARS = 160;
    /**
     * Characters one page may draw before it is skipped. A dense page of a real document draws a few thousand; a
     * decompression bomb (a small stream that decodes to a gigabyte of text operators) would otherwise fill the heap
     * with one TextPosition per character before the time budget ends it.
     */
    static final int MAX_CHARS_PER_PAGE = 200_000;
    private static final int MAX_METADATA_CHARS = 1000;
    private static final AtomicInteger WORKER_COUNT = new AtomicInteger();

    private final ExtractionLimits limits;

    /**
     * Cleaned text of a page range, one {@link PageText} per requested page in page order. A page
     * whose text could not be extracted has an empty text and one line in {@code warnings} saying
     * why; pages that simply carry no text (scans, blank pages) are empty without a warning.
     */
    public record PagesResult(List<PageText> pages, List<String> warnings) {
        public PagesResult {
            pages = List.copyOf(pages);
            warnings = List.copyOf(warnings);
        }

        /** True when no requested page yielded any text, e.g. an image-only scan. */
        public boolean hasNoText() {
            return pages.stream().allMatch(p -> p.text().isEmpty());
        }
    }

    public PdfExtractor(ExtractionLimits limits) {
        this.limits = limits;
    }

    /**
     * Validates {@code pdf} (size, header, encryption, parseability, page count) and reads its metadata
     * and the text of its first pages.
     *
     * @throws DocumentRejectedException when the file is not a usable PDF
     * @throws UncheckedIOException      when the file cannot be read at all (missing, no permission)
     */
    public PdfInfo inspect(Path pdf) {
        checkFile(pdf);
        return withDocument(pdf, doc -> {
            int pageCount = doc.getNumberOfPages();
            PagesResult first = extract(doc, 1, Math.min(DocumentContexts.FIRST_PAGES, pageCount));
            StringBuilder firstText = new StringBuilder();
            first.pages().forEach(p -> firstText.append(p.text()).append("\n\n"));
            return new PdfInfo(metadata(doc, pageCount), pageCount, firstText.toString().strip());
        });
    }

    /**
     * Extracts the cleaned text of pages {@code fromPage..toPage} (1-based, inclusive; {@code toPage}
     * is capped at the page count). Pages are read in content-stream order, not sorted by position,
     * so two-column layouts come out column by column.
     *
     * @throws DocumentRejectedException when the file is not a usable PDF or the time budget runs out
     * @throws IllegalArgumentException  when the range is empty or starts beyond the last page
     */
    public PagesResult extractPages(Path pdf, int fromPage, int toPage) {
        if (fromPage < 1 || toPage < fromPage) {
            throw new IllegalArgumentException("Invalid page range " + fromPage + ".." + toPage);
        }
        checkFile(pdf);
        return withDocument(pdf, doc -> {
            int pageCount = doc.getNumberOfPages();
            if (fromPage > pageCount) {
                throw new PageRangeException(
                        "Page range starts at " + fromPage + " but the PDF has " + pageCount + " pages");
            }
            return extract(doc, fromPage, Math.min(toPage, pageCount));
        });
    }

    private static PagesResult extract(PDDocument doc, int fromPage, int toPage) throws IOException {
        PerPageStripper stripper = new PerPageStripper();
        stripper.setStartPage(fromPage);
        stripper.setEndPage(toPage);
        stripper.getText(doc);

        java.util.Map<Integer, String> raw = new java.util.HashMap<>();
        for (int page = fromPage; page <= toPage; page++) {
            raw.put(page, stripper.texts.getOrDefault(page, ""));
        }
        raw = RunningLines.strip(raw);
        List<PageText> pages = new ArrayList<>(toPage - fromPage + 1);
        for (int page = fromPage; page <= toPage; page++) {
            pages.add(new PageText(page, TextCleaner.clean(raw.get(page))));
        }
        return new PagesResult(pages, stripper.warnings);
    }

    private void checkFile(Path pdf) {
        long size;
        try {
            size = Files.size(pdf);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the size of " + pdf, e);
        }
        if (size == 0) {
            throw new DocumentRejectedException(ErrorCode.EMPTY_FILE, "The file is empty (0 bytes).");
        }
        if (size > limits.maxBytes()) {
            throw new DocumentRejectedException(ErrorCode.TOO_LARGE, "The file is " + size
                    + " bytes; the limit is " + limits.maxBytes() + " bytes.");
        }
        if (!hasPdfHeader(pdf)) {
            throw new DocumentRejectedException(ErrorCode.NOT_A_PDF,
                    "The file is not a PDF (no %PDF- header in its first " + HEADER_WINDOW + " bytes).");
        }
    }

    private static boolean hasPdfHeader(Path pdf) {
        byte[] head;
        try (InputStream in = Files.newInputStream(pdf)) {
            head = in.readNBytes(HEADER_WINDOW);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the header of " + pdf, e);
        }
        outer:
        for (int i = 0; i + PDF_MAGIC.length <= head.length; i++) {
            for (int j = 0; j < PDF_MAGIC.length; j++) {
                if (head[i + j] != PDF_MAGIC[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @FunctionalInterface
    private interface DocumentWork<T> {
        T apply(PDDocument doc) throws IOException;
    }

    /** Opens the PDF on a worker thread, validates it, runs {@code work} and enforces the time budget. */
    private <T> T withDocument(Path pdf, DocumentWork<T> work) {
        AtomicReference<RandomAccessRead> source = new AtomicReference<>();
        FutureTask<T> task = new FutureTask<>(() -> {
            try (RandomAccessRead in = new RandomAccessReadBufferedFile(pdf)) {
                source.set(in);
                try (PDDocument doc = load(in)) {
                    checkPageCount(doc.getNumberOfPages());
                    return work.apply(doc);
                }
            }
        });
        Thread worker = new Thread(null, task, "pdf-extract-" + WORKER_COUNT.incrementAndGet(), WORKER_STACK_BYTES);
        worker.setDaemon(true);
        worker.start();
        try {
            return task.get(limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abandon(task, source);
            throw new DocumentRejectedException(ErrorCode.TIMEOUT, "Reading the PDF took longer than "
                    + limits.timeout().toSeconds() + " s; it is too complex or damaged to process.");
        } catch (InterruptedException e) {
            abandon(task, source);
            Thread.currentThread().interrupt();
            throw new CancellationException("Interrupted while reading " + pdf);
        } catch (ExecutionException e) {
            throw rejection(e.getCause());
        }
    }

    private static PDDocument load(RandomAccessRead in) throws IOException {
        // The empty user password opens files that are encrypted only to restrict permissions.
        return Loader.loadPDF(in, "", MemoryUsageSetting.setupMixed(STREAM_CACHE_MEMORY_BYTES).streamCache);
    }

    private void checkPageCount(int pageCount) {
        if (pageCount <= 0) {
            throw new DocumentRejectedException(ErrorCode.MALFORMED, "The PDF is damaged: it has no pages.");
        }
        if (pageCount > limits.maxPages()) {
            throw new DocumentRejectedException(ErrorCode.TOO_MANY_PAGES, "The PDF has " + pageCount
                    + " pages; the limit is " + limits.maxPages() + " pages.");
        }
    }

    private static void abandon(FutureTask<?> task, AtomicReference<RandomAccessRead> source) {
        task.cancel(true);
        RandomAccessRead in = source.get();
        if (in != null) {
            try {
                in.close();
            } catch (IOException | RuntimeException ignored) {
                // best effort: the worker is being abandoned anyway
            }
        }
    }

    private static RuntimeException rejection(Throwable failure) {
        if (failure instanceof DocumentRejectedException rejected) {
            return rejected;
        }
        if (failure instanceof PageRangeException callerMistake) {
            return callerMistake;
        }
        if (failure instanceof InvalidPasswordException) {
            return new DocumentRejectedException(ErrorCode.ENCRYPTED,
                    "The PDF is encrypted with a password; upload an unencrypted copy.", failure);
        }
        if (failure instanceof Error error && !(failure instanceof StackOverflowError)) {
            // OutOfMemoryError and friends say nothing reliable about the document: let them surface.
            throw error;
        }
        return new DocumentRejectedException(ErrorCode.MALFORMED,
                "The PDF is damaged and cannot be read" + detail(failure), failure);
    }

    private static String detail(Throwable failure) {
        String message = failure.getMessage();
        if (failure instanceof StackOverflowError) {
            message = "its structure is nested too deeply";
        }
        if (message == null || message.isBlank()) {
            message = failure.getClass().getSimpleName();
        }
        message = message.strip().replaceAll("\\s+", " ");
        if (message.length() > MAX_DETAIL_CHARS) {
            message = message.substring(0, MAX_DETAIL_CHARS) + "...";
        }
        return " (" + message + ").";
    }

    private static DocumentMetadata metadata(PDDocument doc, int pageCount) {
        PDDocumentInformation info = doc.getDocumentInformation();
        return new DocumentMetadata(
                orNull(info.getTitle()), orNull(info.getAuthor()), orNull(info.getProducer()),
                pageCount, doc.isEncrypted());
    }

    private static String orNull(String value) {
        if (value == null) {
            return null;
        }
        String cleaned = TextCleaner.clean(value).replaceAll("\\n+", " ");
        if (cleaned.isEmpty()) {
            return null;
        }
        return cleaned.length() > MAX_METADATA_CHARS ? cleaned.substring(0, MAX_METADATA_CHARS) : cleaned;
    }

    /** A page drew more than {@link #MAX_CHARS_PER_PAGE} characters: unchecked, so PDFBox's operator handling lets it through. */
    private static final class PageTooDenseException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PageTooDenseException() {
            super(null, null, false, false);
        }
    }

    /** The time budget ran out while a page was drawn: the worker stops drawing. */
    private static final class PageAbandonedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PageAbandonedException() {
            super("Text extraction was abandoned", null, false, false);
        }
    }

    /** The caller asked for pages the document does not have; PDFBox's own exceptions never use this type. */
    private static final class PageRangeException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        PageRangeException(String message) {
            super(message);
        }
    }

    /**
     * Collects each page's text separately in one pass over the document, so one broken page costs
     * its own text only and a long range is not re-walked once per page.
     */
    private static final class PerPageStripper extends PDFTextStripper {
        final Map<Integer, String> texts = new HashMap<>();
        final List<String> warnings = new ArrayList<>();

        PerPageStripper() {
            setSortByPosition(false);
            setLineSeparator("\n");
            // a blank line where PDFBox sees a paragraph break; TextCleaner keeps it as "\n\n"
            setParagraphEnd("\n");
        }

        private int pageChars;

        @Override
        protected void processTextPosition(TextPosition text) {
            if (++pageChars > MAX_CHARS_PER_PAGE) {
                throw new PageTooDenseException();
            }
            if ((pageChars & 0xFFF) == 0 && Thread.currentThread().isInterrupted()) {
                throw new PageAbandonedException();
            }
            super.processTextPosition(text);
        }

        @Override
        public void processPage(PDPage page) throws IOException {
            int pageNo = getCurrentPageNo();
            if (pageNo < getStartPage() || pageNo > getEndPage()) {
                return;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("Text extraction was abandoned");
            }
            Writer documentOutput = output;
            StringWriter pageOutput = new StringWriter();
            output = pageOutput;
            pageChars = 0;
            try {
                super.processPage(page);
                texts.put(pageNo, pageOutput.toString());
            } catch (PageTooDenseException e) {
                texts.put(pageNo, "");
                warnings.add("Page " + pageNo + ": skipped, it draws more than " + String.format("%,d", MAX_CHARS_PER_PAGE)
                        + " characters (a real page draws a few thousand); the file may be built to exhaust memory.");
            } catch (IOException | RuntimeException | StackOverflowError e) {
                if (e instanceof PageAbandonedException || Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("Text extraction was abandoned");
                }
                texts.put(pageNo, "");
                warnings.add("Page " + pageNo + ": text could not be extracted" + detail(e));
            } finally {
                output = documentOutput;
            }
        }
    }
}
