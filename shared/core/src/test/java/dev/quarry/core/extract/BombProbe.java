package dev.quarry.core.extract;

import dev.quarry.model.DocumentRejectedException;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads one PDF as the extract function does (inspect, then every page) in a JVM of its own, so a test can give it the
 * function's heap and see whether it ends with a reason: prints "READY pages chars", "REJECTED CODE reason", or dies.
 */
public final class BombProbe {
    public static void main(String[] args) {
        Path pdf = Path.of(args[0]);
        PdfExtractor extractor = new PdfExtractor(new ExtractionLimits(100L * 1024 * 1024, 5000, Duration.ofSeconds(Long.parseLong(args[1]))));
        try {
            PdfInfo info = extractor.inspect(pdf);
            long chars = 0;
            int warnings = 0;
            for (int from = 1; from <= info.pageCount(); from += 100) {
                PdfExtractor.PagesResult r = extractor.extractPages(pdf, from, Math.min(info.pageCount(), from + 99));
                chars += r.pages().stream().mapToLong(p -> p.text().length()).sum();
                warnings += r.warnings().size();
                r.warnings().forEach(w -> System.out.println("WARNING " + w));
            }
            System.out.println("READY " + info.pageCount() + " " + chars + " " + warnings);
        } catch (DocumentRejectedException e) {
            System.out.println("REJECTED " + e.code() + " " + e.getMessage());
        }
        System.out.flush();
        System.exit(0);
    }
}
