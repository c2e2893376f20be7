package dev.quarry.core.extract;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds that keep one hostile or huge PDF from exhausting a function.
 *
 * @param maxBytes largest accepted file size
 * @param maxPages largest accepted page count
 * @param timeout  wall-clock budget of one {@link PdfExtractor} call
 */
public record ExtractionLimits(long maxBytes, int maxPages, Duration timeout) {
    private static final long MIB = 1024L * 1024L;

    public ExtractionLimits {
        Objects.requireNonNull(timeout, "timeout");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
        if (maxPages <= 0) {
            throw new IllegalArgumentException("maxPages must be positive, was " + maxPages);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    /** 100 MiB, 5000 pages, 120 seconds. */
    public static ExtractionLimits defaults() {
        return new ExtractionLimits(100 * MIB, 5000, Duration.ofSeconds(120));
    }
}
