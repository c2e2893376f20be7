package dev.quarry.retrieval.answer;

import dev.quarry.model.Citation;
import dev.quarry.model.SearchHit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code [n]} markers of a model's answer (prompted by {@link AnswerPrompt}) and turns
 * each into a verified citation of passage {@code n}, or drops it.
 *
 * <p>The quote for a marker is, in this order of preference: a double-quoted text right after the
 * marker ({@code [2] "..."}), a double-quoted text in the claim before it, or else the longest
 * sentence of that claim that occurs verbatim in the passage. The claim of a marker is the text
 * since the previous marker (and its quote). Models rarely quote perfectly, so whatever is taken
 * must pass {@link CitationVerifier}; a marker nothing of which passes gives no citation.
 */
public final class CitationParser {

    /** {@code [3]} or {@code [1, 3]}. */
    private static final Pattern MARKER = Pattern.compile("\\[(\\d+(?:\\s*,\\s*\\d+)*)]");
    private static final Pattern BETWEEN_ADJACENT_MARKERS = Pattern.compile("[\\s,;]*");
    private static final Pattern QUOTE_AFTER_MARKER = Pattern.compile("\\s*:?\\s*[\"“]([^\"”]+)[\"”]");
    private static final Pattern QUOTE = Pattern.compile("[\"“]([^\"”]+)[\"”]");
    private static final Pattern LIST_BULLET = Pattern.compile("^(?:[-*•]|\\d+[.)])\\s+");
    private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[.!?;:,]+$");

    private final CitationVerifier verifier;

    public CitationParser() {
        this(new CitationVerifier());
    }

    public CitationParser(CitationVerifier verifier) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    /**
     * @param passages the passages exactly as numbered in the prompt ({@code [1]} is the first)
     * @return verified citations in the order their markers appear, without repeats
     */
    public List<Citation> parse(String llmAnswer, List<SearchHit> passages) {
        Map<String, Citation> citations = new LinkedHashMap<>();
        if (llmAnswer == null || passages == null || passages.isEmpty()) {
            return List.of();
        }
        int claimStart = 0;
        for (MarkerGroup group : markerGroups(llmAnswer)) {
            String claim = llmAnswer.substring(claimStart, group.start);
            List<String> quotes = new ArrayList<>();
            Matcher after = QUOTE_AFTER_MARKER.matcher(llmAnswer).region(group.end, llmAnswer.length());
            claimStart = group.end;
            if (after.lookingAt()) {
                quotes.add(after.group(1));
                claimStart = after.end();
            }
            Matcher inClaim = QUOTE.matcher(claim);
            while (inClaim.find()) {
                quotes.add(inClaim.group(1));
            }
            for (int n : group.passageNumbers) {
                if (n >= 1 && n <= passages.size()) {
                    cite(passages.get(n - 1), quotes, claim)
                            .ifPresent(c -> citations.putIfAbsent(c.chunkId() + '\u0000' + c.quote(), c));
                }
            }
        }
        return List.copyOf(citations.values());
    }

    private Optional<Citation> cite(SearchHit passage, List<String> quotes, String claim) {
        for (String quote : quotes) {
            Optional<Citation> citation = verifier.verify(passage, quote);
            if (citation.isPresent()) {
                return citation;
            }
        }
        List<String> sentences = new ArrayList<>();
        for (String sentence : Sentences.split(claim)) {
            String unbulleted = LIST_BULLET.matcher(sentence).replaceFirst("");
            sentences.add(unbulleted);
            sentences.add(TRAILING_PUNCTUATION.matcher(unbulleted).replaceFirst(""));
        }
        sentences.sort(Comparator.comparingInt(String::length).reversed());
        for (String sentence : sentences) {
            Optional<Citation> citation = verifier.verify(passage, sentence);
            if (citation.isPresent()) {
                return citation;
            }
        }
        return Optional.empty();
    }

    /** Markers with nothing but spaces or commas between them ({@code [1][3]}) share one claim. */
    private static List<MarkerGroup> markerGroups(String text) {
        List<MarkerGroup> groups = new ArrayList<>();
        Matcher marker = MARKER.matcher(text);
        while (marker.find()) {
            List<Integer> numbers = new ArrayList<>();
            for (String number : marker.group(1).split(",")) {
                numbers.add(parseOrZero(number.strip()));
            }
            MarkerGroup last = groups.isEmpty() ? null : groups.getLast();
            if (last != null && BETWEEN_ADJACENT_MARKERS.matcher(text.substring(last.end, marker.start())).matches()) {
                last.passageNumbers.addAll(numbers);
                last.end = marker.end();
            } else {
                groups.add(new MarkerGroup(marker.start(), marker.end(), numbers));
            }
        }
        return groups;
    }

    private static int parseOrZero(String number) {
        try {
            return Integer.parseInt(number);
        } catch (NumberFormatException tooLong) {
            return 0;
        }
    }

    private static final class MarkerGroup {
        final int start;
        int end;
        final List<Integer> passageNumbers;

        MarkerGroup(int start, int end, List<Integer> passageNumbers) {
            this.start = start;
            this.end = end;
            this.passageNumbers = passageNumbers;
        }
    }
}
