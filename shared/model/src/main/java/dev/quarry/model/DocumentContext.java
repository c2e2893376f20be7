package dev.quarry.model;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a document says about itself, for retrieval: a readable title (the PDF's own title, else its
 * file name made readable), and the company and period it states on its first pages. Every chunk of
 * the document carries it, so "Nike's fiscal 2019 inventories" can pick the 2019 filing over the 2021
 * one. Absent parts are null.
 */
public record DocumentContext(String title, String company, String period) {
    /** Longest summary kept: the embedded text must stay well inside the model's window. */
    public static final int MAX_SUMMARY_CHARS = 240;

    /** The parts that are present, each once, joined with " | "; empty when nothing is known. */
    public String summary() {
        Set<String> parts = new LinkedHashSet<>();
        for (String p : new String[] {title, company, period}) {
            if (p != null && !p.isBlank()) {
                parts.add(p.strip());
            }
        }
        String s = String.join(" | ", parts);
        return s.length() > MAX_SUMMARY_CHARS ? s.substring(0, MAX_SUMMARY_CHARS) : s;
    }
}
