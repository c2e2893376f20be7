package dev.quarry.retrieval.text;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns text into comparable terms, the same way for questions and for passages. */
public final class Terms {

    private static final Pattern APOSTROPHES = Pattern.compile("['’]");
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    /** Words that say nothing about what a question is about. Deliberately short. */
    private static final Set<String> STOPWORDS = Set.of(
            "a", "an", "the", "and", "or", "but", "if", "then", "than", "so", "not", "no", "nor",
            "of", "to", "in", "on", "at", "by", "for", "with", "from", "into", "onto", "over", "under",
            "about", "as", "per", "via", "up", "out", "off", "between", "after", "before", "during",
            "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "doing", "done",
            "have", "has", "had", "having", "can", "could", "should", "would", "will", "shall", "may",
            "might", "must", "i", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "she",
            "her", "it", "its", "they", "them", "their", "this", "that", "these", "those", "there", "here",
            "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "any", "all", "some",
            "each", "every", "much", "many", "more", "most", "other", "such", "also", "only", "very",
            "just", "too", "please", "tell", "dont", "doesnt", "isnt", "arent");

    private Terms() {
    }

    /** Lowercase words, punctuation removed, in order; for plain word-overlap measures. */
    public static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        if (text == null) {
            return words;
        }
        String cleaned = APOSTROPHES.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("");
        for (String word : NOT_WORD.split(cleaned)) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }

    /** The words of {@code text} that carry meaning: stopwords and single letters dropped, light-stemmed. */
    public static List<String> contentTerms(String text) {
        List<String> terms = new ArrayList<>();
        for (String word : words(text)) {
            if (STOPWORDS.contains(word) || (word.length() == 1 && !Character.isDigit(word.charAt(0)))) {
                continue;
            }
            terms.add(stem(word));
        }
        return terms;
    }

    /** Distinct content terms, in first-seen order. */
    public static Set<String> contentTermSet(String text) {
        return new LinkedHashSet<>(contentTerms(text));
    }

    /** Jaccard similarity of two sets: 1.0 for two empty sets would claim a match, so that is 0.0. */
    public static double jaccard(Set<String> a, Set<String> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 0.0;
        }
        int shared = 0;
        for (String term : a) {
            if (b.contains(term)) {
                shared++;
            }
        }
        return (double) shared / (a.size() + b.size() - shared);
    }

    /**
     * A few suffix rules, enough for "refunds"/"refunded"/"refund" or "policies"/"policy" to meet.
     * Not a real stemmer: both sides go through the same rules, so a wrong stem still matches itself.
     */
    static String stem(String word) {
        if (word.length() <= 3 || !word.chars().allMatch(Character::isLetter)) {
            return word;
        }
        String stem = word;
        if (stem.endsWith("ies") && stem.length() > 4) {
            stem = stem.substring(0, stem.length() - 3) + "y";
        } else if (stem.endsWith("sses")) {
            stem = stem.substring(0, stem.length() - 2);
        } else if (stem.endsWith("ing") && stem.length() - 3 >= 4) {
            stem = stem.substring(0, stem.length() - 3);
        } else if (stem.endsWith("ed") && stem.length() - 2 >= 4) {
            stem = stem.substring(0, stem.length() - 2);
        } else if (stem.endsWith("es") && endsWithSibilant(stem.substring(0, stem.length() - 2))) {
            stem = stem.substring(0, stem.length() - 2);
        } else if (stem.endsWith("s") && !stem.endsWith("ss") && !stem.endsWith("us") && !stem.endsWith("is")) {
            stem = stem.substring(0, stem.length() - 1);
        }
        if (stem.endsWith("e") && stem.length() > 4) {
            stem = stem.substring(0, stem.length() - 1);
        }
        return stem;
    }

    private static boolean endsWithSibilant(String stem) {
        return stem.length() >= 3 && (stem.endsWith("s") || stem.endsWith("x") || stem.endsWith("z")
                || stem.endsWith("ch") || stem.endsWith("sh"));
    }
}
