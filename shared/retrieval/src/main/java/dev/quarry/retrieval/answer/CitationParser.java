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
 * Reads a model's answer (prompted by {@link AnswerPrompt}) claim by claim, turns each {@code [n]}
 * marker into a verified citation of passage {@code n} or drops it, and keeps only the claims left
 * with at least one citation.
 *
 * <p>A claim is a sentence or list item. The markers right after it (with the quote after them and
 * closing punctuation) belong to it, so {@code "... per year. [1]"} and {@code "... per year [1]."}
 * both cite the sentence; a sentence followed by no marker before the next sentence starts is a
 * claim without citation. A line that ends in a colon and introduces a kept claim ("The warranty
 * covers:") is layout, not a claim, and stays with it.
 *
 * <p>The quote for a marker is, in this order of preference: a double-quoted text right after the
 * marker ({@code [2] "..."}), a double-quoted text in the claim, or else the longest sentence of the
 * claim that occurs verbatim in the passage. Models rarely quote perfectly, so whatever is taken
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
    /** What may follow a claim's last marker or quote and still belong to it: "... [1]." */
    private static final String CLOSING_PUNCTUATION = ".,;:!?)";

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
        return ground(llmAnswer, passages).citations();
    }

    /**
     * The answer without the claims none of whose citations could be verified, with the citations
     * of the claims kept.
     *
     * @param passages the passages exactly as numbered in the prompt ({@code [1]} is the first)
     */
    public GroundedAnswer ground(String llmAnswer, List<SearchHit> passages) {
        if (llmAnswer == null || llmAnswer.isBlank()) {
            return new GroundedAnswer("", List.of(), List.of());
        }
        List<Unit> units = units(llmAnswer);
        List<SearchHit> numbered = passages == null ? List.of() : passages;
        for (Unit unit : units) {
            cite(unit, llmAnswer, numbered);
        }

        boolean[] kept = new boolean[units.size()];
        for (int i = units.size() - 1; i >= 0; i--) {
            Unit unit = units.get(i);
            kept[i] = !unit.citations.isEmpty()
                    || unit.isLeadIn(llmAnswer) && i + 1 < units.size() && kept[i + 1];
        }

        StringBuilder text = new StringBuilder();
        List<Claim> claims = new ArrayList<>();
        Map<String, Citation> citations = new LinkedHashMap<>();
        int gapStart = -1;
        for (int i = 0; i < units.size(); i++) {
            Unit unit = units.get(i);
            String unitText = llmAnswer.substring(unit.start, unit.end).strip();
            if (!unit.isLeadIn(llmAnswer)) {
                claims.add(new Claim(unitText, unit.citations));
            }
            if (!kept[i]) {
                continue;
            }
            if (gapStart >= 0) {
                text.append(separator(llmAnswer, units, gapStart, i));
            }
            text.append(unitText);
            unit.citations.forEach(c -> citations.putIfAbsent(c.chunkId() + '\u0000' + c.quote(), c));
            gapStart = i;
        }
        return new GroundedAnswer(text.toString(), claims, List.copyOf(citations.values()));
    }

    /**
     * Cuts the answer into units, each a sentence (or list item) and the marker group after it.
     * Sentences followed by another sentence instead of a marker become units without markers.
     */
    private static List<Unit> units(String answer) {
        List<Unit> units = new ArrayList<>();
        int pos = 0;
        Unit previous = null;
        for (MarkerGroup group : markerGroups(answer)) {
            if (group.start < pos) {
                continue; // a marker inside the quote of the previous one
            }
            Matcher after = QUOTE_AFTER_MARKER.matcher(answer).region(group.end, answer.length());
            int end = group.end;
            if (after.lookingAt()) {
                group.quote = after.group(1);
                end = after.end();
            }
            while (end < answer.length() && CLOSING_PUNCTUATION.indexOf(answer.charAt(end)) >= 0) {
                end++;
            }
            List<Sentences.Range> pieces = pieces(answer, pos, group.start);
            if (pieces.isEmpty() && previous != null) {
                // "... [1]. [2]": a further marker of the same claim
                previous.groups.add(group);
                previous.end = end;
            } else {
                for (int i = 0; i < pieces.size() - 1; i++) {
                    units.add(Unit.uncited(answer, pieces.get(i)));
                }
                int start = pieces.isEmpty() ? group.start : pieces.getLast().start();
                String claim = pieces.isEmpty() ? "" : answer.substring(start, pieces.getLast().end());
                previous = new Unit(start, end, claim);
                previous.groups.add(group);
                units.add(previous);
            }
            pos = end;
        }
        for (Sentences.Range piece : pieces(answer, pos, answer.length())) {
            units.add(Unit.uncited(answer, piece));
        }
        return units;
    }

    /** The sentences of {@code answer[from, to)}, a sentence cut inside a double quote joined to the next. */
    private static List<Sentences.Range> pieces(String answer, int from, int to) {
        List<Sentences.Range> pieces = new ArrayList<>();
        Sentences.Range open = null;
        for (Sentences.Range r : Sentences.ranges(answer.substring(from, to))) {
            Sentences.Range range = new Sentences.Range(from + r.start(), from + r.end());
            Sentences.Range current = open == null ? range : new Sentences.Range(open.start(), range.end());
            if (quoteLeftOpen(answer.substring(current.start(), current.end()))) {
                open = current;
            } else {
                pieces.add(current);
                open = null;
            }
        }
        if (open != null) {
            pieces.add(open);
        }
        return pieces;
    }

    private static boolean quoteLeftOpen(String text) {
        long straight = text.chars().filter(c -> c == '"').count();
        long opening = text.chars().filter(c -> c == '“').count();
        long closing = text.chars().filter(c -> c == '”').count();
        return straight % 2 == 1 || opening > closing;
    }

    /** Between two kept units: a paragraph or line break if any dropped stretch had one, else a space. */
    private static String separator(String answer, List<Unit> units, int from, int to) {
        boolean line = false;
        boolean paragraph = false;
        boolean space = false;
        for (int i = from; i < to; i++) {
            String gap = answer.substring(units.get(i).end, units.get(i + 1).start);
            paragraph |= gap.contains("\n\n");
            line |= gap.contains("\n");
            space |= !gap.isEmpty();
        }
        return paragraph ? "\n\n" : line ? "\n" : space ? " " : "";
    }

    private void cite(Unit unit, String answer, List<SearchHit> passages) {
        Map<String, Citation> citations = new LinkedHashMap<>();
        for (MarkerGroup group : unit.groups) {
            List<String> quotes = new ArrayList<>();
            if (group.quote != null) {
                quotes.add(group.quote);
            }
            Matcher inClaim = QUOTE.matcher(unit.claim);
            while (inClaim.find()) {
                quotes.add(inClaim.group(1));
            }
            for (int n : group.passageNumbers) {
                if (n >= 1 && n <= passages.size()) {
                    cite(passages.get(n - 1), quotes, unit.claim)
                            .ifPresent(c -> citations.putIfAbsent(c.chunkId() + '\u0000' + c.quote(), c));
                }
            }
        }
        unit.citations = List.copyOf(citations.values());
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
        String quote;

        MarkerGroup(int start, int end, List<Integer> passageNumbers) {
            this.start = start;
            this.end = end;
            this.passageNumbers = passageNumbers;
        }
    }

    /** A stretch {@code [start, end)} of the answer: one claim sentence and its markers, or a sentence without any. */
    private static final class Unit {
        final int start;
        int end;
        /** The claim's words without its markers, for quotes inside it and the verbatim-sentence fallback. */
        final String claim;
        final List<MarkerGroup> groups = new ArrayList<>();
        List<Citation> citations = List.of();

        Unit(int start, int end, String claim) {
            this.start = start;
            this.end = end;
            this.claim = claim;
        }

        static Unit uncited(String answer, Sentences.Range sentence) {
            return new Unit(sentence.start(), sentence.end(), answer.substring(sentence.start(), sentence.end()));
        }

        /** A line such as "The warranty covers:" that introduces the list after it. */
        boolean isLeadIn(String answer) {
            if (!groups.isEmpty() || !answer.substring(start, end).strip().endsWith(":")) {
                return false;
            }
            int next = end;
            while (next < answer.length() && answer.charAt(next) != '\n' && Character.isWhitespace(answer.charAt(next))) {
                next++;
            }
            return next < answer.length() && answer.charAt(next) == '\n';
        }
    }
}
