package dev.quarry.retrieval.answer;

import dev.quarry.model.LineKinds;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Sentence splitting that only ever cuts and trims, so each sentence stays a substring of its text. */
public final class Sentences {

    /** Where a sentence is in its text: {@code text.substring(start, end)}, already trimmed. */
    record Range(int start, int end) {
    }

    private Sentences() {
    }

    /** The sentences and table rows of {@code text}, each a trimmed substring of it, in order. */
    public static List<String> split(String text) {
        List<String> sentences = new ArrayList<>();
        for (Range range : ranges(text)) {
            sentences.add(text.substring(range.start(), range.end()));
        }
        return sentences;
    }

    /** The sentences of {@code text} as trimmed ranges, in order; pieces without a letter or digit are skipped. */
    static List<Range> ranges(String text) {
        List<Range> ranges = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return ranges;
        }
        // Line breaks end a sentence too: PDF text keeps headings and table-of-contents lines on lines of their own.
        int lineStart = 0;
        while (lineStart <= text.length()) {
            int lineEnd = text.indexOf('\n', lineStart);
            if (lineEnd < 0) {
                lineEnd = text.length();
            }
            String line = text.substring(lineStart, lineEnd);
            BreakIterator iterator = BreakIterator.getSentenceInstance(Locale.ENGLISH);
            iterator.setText(line);
            int start = iterator.first();
            for (int end = iterator.next(); end != BreakIterator.DONE; start = end, end = iterator.next()) {
                int s = start;
                int e = end;
                while (s < e && Character.isWhitespace(line.charAt(s))) {
                    s++;
                }
                while (e > s && Character.isWhitespace(line.charAt(e - 1))) {
                    e--;
                }
                if (line.substring(s, e).codePoints().anyMatch(Character::isLetterOrDigit)) {
                    ranges.add(new Range(lineStart + s, lineStart + e));
                }
            }
            lineStart = lineEnd + 1;
        }
        return ranges;
    }

    /**
     * A table row: a label of at least one word followed by values ("Inventories 5,622 5,261",
     * "Net income $ 3,033 $ 10,073"). It can answer a question about a figure.
     */
    /**
     * A table-of-contents entry or a heading: a numbered heading, alone or followed by its page ("5.1.1 Add-on packages in R 21",
     * "2.3 Installing packages 14 ii"). Dot leaders are gone from the cleaned text, so the numbering and
     * the trailing page tell it. It names where an answer is, it is not one.
     */
    static boolean isTocEntry(String line) {
        return TOC_ENTRY.matcher(line.strip()).matches() || NUMBERED_HEADING.matcher(line.strip()).matches()
                || LineKinds.isHeading(line);
    }

    /** "5.1.1 Add-on packages in R", "3. Installing": a numbered heading without a sentence's end. */
    private static final java.util.regex.Pattern NUMBERED_HEADING = java.util.regex.Pattern.compile(
            "^(?:\\d+(?:\\.\\d+)+\\.?|\\d+\\.)\\s+[^.!?:;]{1,60}$");

    private static final java.util.regex.Pattern TOC_ENTRY = java.util.regex.Pattern.compile(
            "(?i)^(?:\\d+(?:\\.\\d+)*\\.?|chapter \\d+|appendix [a-z])\\s+\\S.*\\s(?:\\d{1,4}|[ivxlc]{1,6})(?:\\s+(?:\\d{1,4}|[ivxlc]{1,6}))?$");

    /**
     * A table row that can answer: a label with its values. A statement's column headers ("(In millions)
     * 2016 2015 2014", "Year Ended May 31, 2019 2018") say which year a value is from, never a value.
     */
    static boolean isRow(String line) {
        return LineKinds.isRow(line) && line.codePoints().filter(Character::isLetter).count() >= 3
                && !LineKinds.isColumnHeader(line);
    }

    /**
     * Whether a sentence can answer anything: not a question (often the heading that asks it), not
     * a table-of-contents line with dot leaders, not a bare heading of a few words.
     */
    static boolean isProse(String sentence) {
        if (sentence.endsWith("?") || sentence.contains(". . .") || sentence.contains("....")) {
            return false;
        }
        long letters = sentence.codePoints().filter(Character::isLetter).count();
        if (letters < 0.6 * sentence.codePoints().filter(c -> !Character.isWhitespace(c)).count()) {
            return false;
        }
        return sentence.split("\\s+").length >= 5;
    }
}
