package dev.quarry.retrieval.answer;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Sentence splitting that only ever cuts and trims, so each sentence stays a substring of its text. */
final class Sentences {

    private Sentences() {
    }

    static List<String> split(String text) {
        List<String> sentences = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return sentences;
        }
        // Line breaks end a sentence too: PDF text keeps headings and table-of-contents lines on lines of their own.
        for (String line : text.split("\n")) {
            BreakIterator iterator = BreakIterator.getSentenceInstance(Locale.ENGLISH);
            iterator.setText(line);
            int start = iterator.first();
            for (int end = iterator.next(); end != BreakIterator.DONE; start = end, end = iterator.next()) {
                String sentence = line.substring(start, end).strip();
                if (sentence.codePoints().anyMatch(Character::isLetterOrDigit)) {
                    sentences.add(sentence);
                }
            }
        }
        return sentences;
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
