package dev.quarry.core.extract;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Removes running headers and footers ("Chapter 5: R Add-On Packages 23", bare page numbers):
 * lines near the top or bottom of a page that repeat, digits aside, on many pages of the range.
 * They would otherwise be indexed and quoted as if they were content.
 */
final class RunningLines {
    static final int EDGE_LINES = 2;
    static final int MIN_PAGES = 4;
    static final double MIN_SHARE = 0.4;
    /**
     * A short edge line with a number that changes from page to page ("Chapter 5: R Add-On Packages 23",
     * "24", "25") is a running header even when its chapter covers fewer than MIN_SHARE of the pages.
     */
    static final int MIN_NUMBERED_VARIANTS = 3;
    static final int MAX_NUMBERED_LENGTH = 80;

    private RunningLines() {
    }

    /** Raw page texts (with their line breaks) in, the same texts without their running lines out. */
    static Map<Integer, String> strip(Map<Integer, String> pages) {
        if (pages.size() < MIN_PAGES) {
            return pages;
        }
        Map<String, Integer> pagesWithKey = new HashMap<>();
        Map<String, Set<String>> numberedVariants = new HashMap<>();
        for (String text : pages.values()) {
            Set<String> keys = new HashSet<>();
            List<String> lines = lines(text);
            for (int i : edgeIndexes(lines)) {
                String key = key(lines.get(i));
                keys.add(key);
                if (key.contains("#") && key.length() <= MAX_NUMBERED_LENGTH) {
                    numberedVariants.computeIfAbsent(key, k -> new HashSet<>()).add(lines.get(i).strip());
                }
            }
            keys.forEach(k -> pagesWithKey.merge(k, 1, Integer::sum));
        }
        int threshold = Math.max(3, (int) Math.ceil(MIN_SHARE * pages.size()));
        Set<String> running = new HashSet<>();
        pagesWithKey.forEach((k, n) -> {
            boolean numbered = numberedVariants.getOrDefault(k, Set.of()).size() >= MIN_NUMBERED_VARIANTS;
            if ((n >= threshold || numbered) && !k.isBlank()) {
                running.add(k);
            }
        });
        if (running.isEmpty()) {
            return pages;
        }
        Map<Integer, String> out = new HashMap<>();
        pages.forEach((page, text) -> {
            List<String> lines = lines(text);
            Set<Integer> drop = new HashSet<>();
            for (int i : edgeIndexes(lines)) {
                if (running.contains(key(lines.get(i)))) {
                    drop.add(i);
                }
            }
            List<String> kept = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (!drop.contains(i)) {
                    kept.add(lines.get(i));
                }
            }
            // A page made only of such lines ("This is page 7") keeps them: they are its content.
            out.put(page, kept.stream().allMatch(String::isBlank) ? text : String.join("\n", kept));
        });
        return out;
    }

    private static List<String> lines(String text) {
        return List.of(text.split("\n", -1));
    }

    /** Indexes of the first and last EDGE_LINES non-blank lines. */
    private static Set<Integer> edgeIndexes(List<String> lines) {
        Set<Integer> idx = new HashSet<>();
        int found = 0;
        for (int i = 0; i < lines.size() && found < EDGE_LINES; i++) {
            if (!lines.get(i).isBlank()) {
                idx.add(i);
                found++;
            }
        }
        found = 0;
        for (int i = lines.size() - 1; i >= 0 && found < EDGE_LINES; i--) {
            if (!lines.get(i).isBlank()) {
                idx.add(i);
                found++;
            }
        }
        return idx;
    }

    /** Digits (page numbers) and spacing do not tell running lines apart. */
    private static String key(String line) {
        return line.strip().replaceAll("\\d+", "#").replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
