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
        BreakIterator iterator = BreakIterator.getSentenceInstance(Locale.ENGLISH);
        iterator.setText(text);
        int start = iterator.first();
        for (int end = iterator.next(); end != BreakIterator.DONE; start = end, end = iterator.next()) {
            String sentence = text.substring(start, end).strip();
            if (sentence.codePoints().anyMatch(Character::isLetterOrDigit)) {
                sentences.add(sentence);
            }
        }
        return sentences;
    }
}
