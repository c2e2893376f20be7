package dev.quarry.tools;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.multipdf.PDFMergerUtility;
import org.apache.pdfbox.pdmodel.PDDocument;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Builds one very large real PDF (a 2,400-page "manual" by default) by appending the readable PDFs
 * of a folder, largest first, until the page count is reached; ingesting it proves that a document
 * far beyond one invocation's budget goes through the pipeline in independent page-range parts.
 */
final class BigPdf {

    private BigPdf() {
    }

    static void run(String[] argv) throws Exception {
        Args args = Args.parse(argv, Set.of("pages", "out"), Set.of());
        if (args.positional().size() != 1) {
            throw new Args.UsageException("give one folder of PDFs to take pages from");
        }
        Path folder = Path.of(args.positional().getFirst());
        int target = args.intValue("pages", 2400);
        Path out = Path.of(args.value("out", ProjectPaths.stateDir("bench").resolve("manual-" + target + "-pages.pdf").toString()));
        List<Path> sources;
        try (Stream<Path> files = Files.list(folder)) {
            sources = files.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".pdf"))
                    .sorted((a, b) -> Long.compare(b.toFile().length(), a.toFile().length())).toList();
        }
        if (sources.isEmpty()) {
            throw new Args.UsageException("no .pdf file in " + folder);
        }
        List<String> used = new ArrayList<>();
        try (PDDocument merged = new PDDocument(IOUtils.createTempFileOnlyStreamCache())) {
            PDFMergerUtility merger = new PDFMergerUtility();
            for (int round = 0; merged.getNumberOfPages() < target; round++) {
                int before = merged.getNumberOfPages();
                for (Path source : sources) {
                    if (merged.getNumberOfPages() >= target) {
                        break;
                    }
                    try (PDDocument doc = Loader.loadPDF(source.toFile())) {
                        if (doc.isEncrypted()) {
                            continue;
                        }
                        merger.appendDocument(merged, doc);
                        used.add(source.getFileName() + " (" + doc.getNumberOfPages() + ")");
                    } catch (java.io.IOException e) {
                        System.out.println("  skipping " + source.getFileName() + ": " + e.getMessage());
                    }
                }
                if (merged.getNumberOfPages() == before) {
                    throw new Tools.ToolException("No readable PDF in " + folder);
                }
            }
            Files.createDirectories(out.toAbsolutePath().getParent());
            merged.save(out.toFile());
            System.out.printf(Locale.ROOT, "Wrote %s: %d pages, %d bytes, from %s%n", out, merged.getNumberOfPages(),
                    Files.size(out), String.join(", ", used));
        }
    }
}
