package dev.quarry.retrieval.answer;

import dev.quarry.retrieval.text.Terms;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves an elliptical follow-up ("and in 2019?", "what about Adidas?") into a question that can be
 * searched on its own, from the previous question of the conversation. Without a generative model the
 * rewrite is rule-based: a follow-up that only names another period takes the previous question with
 * its period replaced; any other short follow-up is searched together with the previous question.
 * A follow-up that stands on its own is searched as asked.
 */
public final class FollowUps {
    /** A follow-up with at most this many content terms leans on the previous question. */
    static final int MAX_ELLIPTICAL_TERMS = 3;
    private static final Pattern LEADING = Pattern.compile(
            "(?i)^\\s*(?:and|but|also|what about|how about|and what about|same for|what of|then)\\b.*");
    /** A year, a fiscal year, a quarter: "2019", "FY2019", "fiscal 2019", "Q2 2023". */
    private static final Pattern PERIOD = Pattern.compile(
            "(?i)\\b(?:(?:FY|fiscal(?: year)?\\s?)'?\\d{2,4}|Q[1-4](?:\\s?(?:FY)?\\s?\\d{2,4})?|(?:19|20)\\d{2})\\b");

    private FollowUps() {
    }

    /**
     * @param question the new question
     * @param earlier  the conversation's earlier turns, oldest first
     * @return what to search for
     */
    public static String resolve(String question, List<Turn> earlier) {
        if (earlier == null || earlier.isEmpty()) {
            return question;
        }
        Turn previous = earlier.getLast();
        String before = previous.searchedFor() == null || previous.searchedFor().isBlank()
                ? previous.question() : previous.searchedFor();
        if (!isElliptical(question)) {
            return question;
        }
        Matcher newPeriod = PERIOD.matcher(question);
        if (newPeriod.find() && PERIOD.matcher(before).find() && onlyAPeriod(question, newPeriod.group())) {
            return PERIOD.matcher(before).replaceAll(Matcher.quoteReplacement(newPeriod.group()));
        }
        return before + " " + question.strip();
    }

    static boolean isElliptical(String question) {
        return Terms.contentTermSet(question).size() <= MAX_ELLIPTICAL_TERMS || LEADING.matcher(question).matches();
    }

    /** "and in 2019?", "what about FY2019": nothing but connectives and the period. */
    private static boolean onlyAPeriod(String question, String period) {
        String rest = question.replace(period, " ").toLowerCase(Locale.ROOT)
                .replaceAll("\\b(?:and|but|also|what|how|about|in|for|of|the|same|then|year|fiscal|period)\\b", " ");
        return Terms.contentTermSet(rest).isEmpty();
    }
}
