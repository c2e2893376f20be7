package dev.quarry.retrieval.answer;

import dev.quarry.model.Citation;
import dev.quarry.model.SearchHit;
import dev.quarry.retrieval.text.Terms;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Answers without a generative model: picks the sentences and table rows of the best passages that
 * are closest to the question, by meaning (the embedding model, through {@link Relevance}) and by
 * shared terms, and cites each one. This is the local default, since no chat model can be reached
 * here; it can only quote, never rephrase or combine, which is exactly why every sentence it returns
 * is verifiable. A question about a figure is answered by the table row that holds it (label and
 * values), shown with the statement and columns it sits under.
 */
public final class ExtractiveAnswerer {

    /** BM25 term-frequency saturation and length normalization, the usual values. */
    private static final double K1 = 1.2;
    private static final double B = 0.75;
    /** Each step down the ranking costs a sentence this fraction, so ties go to the better hit. */
    private static final double RANK_PENALTY = 0.1;
    /**
     * A further sentence must score this share of the best one: a sentence that shares one common
     * word with the question adds noise, not support.
     */
    private static final double MIN_SHARE_OF_BEST = 0.6;
    /** Sentences whose term sets overlap this much say the same thing (overlapping chunks repeat text). */
    private static final double DUPLICATE_JACCARD = 0.8;
    /** Default number of candidates read by the embedding model, the best by shared terms and rank: a bound on latency. */
    public static final int DEFAULT_SENTENCE_CANDIDATES = 6;
    /** Added to a table row's score (on the 0..1 scale of meaning and terms) when the question asks for a figure. */
    static final double ROW_BONUS = 0.25;
    private static final java.util.regex.Pattern FIGURE_QUESTION = java.util.regex.Pattern.compile(
            "(?i)\\b(?:how (?:much|many)|total|amount|number of|in (?:usd|us\\$|\\$|eur|millions|billions|thousands)"
            + "|ratio|margin|percent(?:age)?|revenues?|sales|income|earnings|profit|loss|assets|liabilities|equity|debt"
            + "|cash flows?|expenses?|costs?|cogs|capex|capital expenditures?|inventor(?:y|ies)|eps|dividends?|shares)\\b");

    /** Weight of meaning against shared terms in a candidate's score. */
    static final double MEANING_WEIGHT = 0.6;
    /**
     * Default cosine (bge-small, question with its retrieval instruction) below which a sentence is not
     * about the question. Sentence-level cosines of this small model overlap a lot between related and
     * unrelated pairs (about 0.45-0.8 against 0.35-0.6), so this is only a floor; whether anything
     * relevant was retrieved at all is decided on whole passages, before answering.
     */
    public static final double DEFAULT_MIN_SIMILARITY = 0.45;
    /**
     * Without meaning, a passage answers only if it holds at least this share of the question's content
     * terms: "What is the capital of France?" is not answered by a font table that mentions "CAPITAL LETTER".
     */
    private static final double MIN_QUESTION_COVERAGE = 0.5;

    private final CitationVerifier verifier;
    private final Relevance relevance;
    private final double minSimilarity;
    private final int sentenceCandidates;
    private final int maxHits;
    private final int maxSentences;

    /** Reads the 5 best hits and answers with up to 3 sentences, by shared terms alone. */
    public ExtractiveAnswerer() {
        this(new CitationVerifier(), Relevance.NONE, DEFAULT_MIN_SIMILARITY, 5, 3);
    }

    public ExtractiveAnswerer(CitationVerifier verifier, int maxHits, int maxSentences) {
        this(verifier, Relevance.NONE, DEFAULT_MIN_SIMILARITY, maxHits, maxSentences);
    }

    public ExtractiveAnswerer(CitationVerifier verifier, Relevance relevance, double minSimilarity, int maxHits,
            int maxSentences) {
        this(verifier, relevance, minSimilarity, DEFAULT_SENTENCE_CANDIDATES, maxHits, maxSentences);
    }

    /**
     * @param minSimilarity cosine below which a sentence is not about the question, whatever words it
     *                      shares (it depends on the embedding model)
     */
    public ExtractiveAnswerer(CitationVerifier verifier, Relevance relevance, double minSimilarity, int sentenceCandidates,
            int maxHits, int maxSentences) {
        this.sentenceCandidates = Math.max(1, sentenceCandidates);
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.relevance = Objects.requireNonNull(relevance, "relevance");
        this.minSimilarity = minSimilarity;
        if (maxHits < 1 || maxSentences < 1) {
            throw new IllegalArgumentException("maxHits and maxSentences must be >= 1, were " + maxHits + ", " + maxSentences);
        }
        this.maxHits = maxHits;
        this.maxSentences = maxSentences;
    }

    /**
     * @param hits the fused hits, best first; only the first {@code maxHits} are read
     */
    public ExtractiveAnswer answer(String question, List<SearchHit> hits) {
        Set<String> questionTerms = Terms.contentTermSet(question);
        if (questionTerms.isEmpty() || hits == null || hits.isEmpty()) {
            return ExtractiveAnswer.notFound();
        }
        List<SearchHit> read = hits.subList(0, Math.min(maxHits, hits.size()));
        List<Candidate> candidates = candidates(read);
        if (candidates.isEmpty()) {
            return ExtractiveAnswer.notFound();
        }
        scoreTerms(candidates, questionTerms);
        candidates.sort(Comparator.comparingDouble(Candidate::score).reversed()
                .thenComparingInt(Candidate::hitRank)
                .thenComparingInt(Candidate::position));
        List<Candidate> pool = new ArrayList<>(candidates.subList(0, Math.min(sentenceCandidates, candidates.size())));
        double[] similarity = relevance.similarities(question, pool.stream().map(Candidate::meaningText).toList());
        if (similarity == null) {
            pool.removeIf(c -> !covers(c.hit, questionTerms));
        } else {
            combine(pool, similarity, minSimilarity, asksForFigure(question));
        }
        pool.sort(Comparator.comparingDouble(Candidate::score).reversed()
                .thenComparingInt(Candidate::hitRank)
                .thenComparingInt(Candidate::position));

        List<Candidate> chosen = new ArrayList<>();
        for (Candidate candidate : pool) {
            if (chosen.size() == maxSentences || candidate.score <= 0) {
                break;
            }
            boolean tooWeak = !chosen.isEmpty() && candidate.score < MIN_SHARE_OF_BEST * chosen.getFirst().score;
            if (!tooWeak && chosen.stream().noneMatch(c -> isNearDuplicate(c, candidate))) {
                chosen.add(candidate);
            }
        }

        StringBuilder answer = new StringBuilder();
        List<Citation> citations = new ArrayList<>();
        for (Candidate candidate : chosen) {
            // A sentence is cut out of its hit's text, so this holds; checking anyway keeps the
            // promise "every citation is verified" true by construction rather than by argument.
            verifier.verify(candidate.hit, candidate.sentence).ifPresent(citation -> {
                citations.add(citation);
                if (!answer.isEmpty()) {
                    answer.append(' ');
                }
                answer.append(candidate.sentence);
                if (candidate.row && candidate.hit.section() != null) {
                    answer.append(" (").append(candidate.hit.section()).append(')');
                }
                answer.append(" [").append(citations.size()).append(']');
            });
        }
        return citations.isEmpty()
                ? ExtractiveAnswer.notFound()
                : new ExtractiveAnswer(answer.toString(), citations, true);
    }

    /**
     * Meaning and shared terms, each scaled to the best candidate's; a candidate neither close in meaning
     * nor sharing a term scores 0 and is never quoted.
     */
    private static void combine(List<Candidate> pool, double[] similarity, double minSimilarity, boolean figure) {
        double bestTerms = pool.stream().mapToDouble(Candidate::score).max().orElse(0);
        for (int i = 0; i < pool.size(); i++) {
            Candidate c = pool.get(i);
            double terms = bestTerms > 0 ? c.score / bestTerms : 0;
            double meaning = similarity[i];
            if (meaning < minSimilarity) {
                c.score = 0; // whatever words it shares, it is about something else
            } else {
                double scaled = (meaning - minSimilarity) / (1 - minSimilarity);
                double bonus = figure && c.row ? ROW_BONUS : 0;
                c.score = (MEANING_WEIGHT * scaled + (1 - MEANING_WEIGHT) * terms + bonus) / (1 + RANK_PENALTY * c.hitRank);
            }
        }
    }

    /**
     * A question after an amount ("how much", "total", "in USD millions", "ratio", "revenue"...): the
     * table row that holds the figure answers it better than a sentence that talks about it.
     */
    static boolean asksForFigure(String question) {
        return FIGURE_QUESTION.matcher(question).find();
    }

    /**
     * True when the passage holds at least half of the question's distinct content terms, and at least
     * two of them when the question has two or more: one shared word is a coincidence, not an answer.
     */
    static boolean covers(SearchHit hit, Set<String> questionTerms) {
        Set<String> passage = Terms.contentTermSet(hit.text());
        long shared = questionTerms.stream().filter(passage::contains).count();
        int n = questionTerms.size();
        return shared >= Math.max(Math.min(n, 2), Math.ceil(MIN_QUESTION_COVERAGE * n));
    }

    private static List<Candidate> candidates(List<SearchHit> hits) {
        List<Candidate> candidates = new ArrayList<>();
        for (int rank = 0; rank < hits.size(); rank++) {
            SearchHit hit = hits.get(rank);
            List<String> sentences = Sentences.split(hit.text());
            for (int position = 0; position < sentences.size(); position++) {
                String sentence = sentences.get(position);
                boolean row = Sentences.isRow(sentence);
                // a sentence that speaks to a model (Instructions) is document text, never the answer
                if (!Sentences.isTocEntry(sentence) && (row || Sentences.isProse(sentence)) && Instructions.in(sentence).isEmpty()) {
                    candidates.add(new Candidate(hit, rank, position, sentence, Terms.contentTerms(sentence), row));
                }
            }
        }
        return candidates;
    }

    /** BM25 over the candidate sentences as the collection, so idf rewards the terms that pick out few sentences. */
    private static void scoreTerms(List<Candidate> candidates, Set<String> questionTerms) {
        Map<String, Integer> documentFrequency = new HashMap<>();
        double totalLength = 0;
        for (Candidate candidate : candidates) {
            totalLength += candidate.terms.size();
            for (String term : new LinkedHashSet<>(candidate.terms)) {
                if (questionTerms.contains(term)) {
                    documentFrequency.merge(term, 1, Integer::sum);
                }
            }
        }
        double averageLength = Math.max(1.0, totalLength / Math.max(1, candidates.size()));
        int n = candidates.size();

        for (Candidate candidate : candidates) {
            Map<String, Integer> termFrequency = new HashMap<>();
            for (String term : candidate.terms) {
                if (questionTerms.contains(term)) {
                    termFrequency.merge(term, 1, Integer::sum);
                }
            }
            double score = 0;
            double lengthNorm = K1 * (1 - B + B * candidate.terms.size() / averageLength);
            for (Map.Entry<String, Integer> entry : termFrequency.entrySet()) {
                int df = documentFrequency.get(entry.getKey());
                double idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
                double tf = entry.getValue();
                score += idf * tf * (K1 + 1) / (tf + lengthNorm);
            }
            candidate.score = score / (1 + RANK_PENALTY * candidate.hitRank);
        }
    }

    private static boolean isNearDuplicate(Candidate a, Candidate b) {
        return a.sentence.equals(b.sentence)
                || Terms.jaccard(new LinkedHashSet<>(a.terms), new LinkedHashSet<>(b.terms)) >= DUPLICATE_JACCARD;
    }

    private static final class Candidate {
        final SearchHit hit;
        final int hitRank;
        final int position;
        final String sentence;
        final List<String> terms;
        final boolean row;
        double score;

        Candidate(SearchHit hit, int hitRank, int position, String sentence, List<String> terms, boolean row) {
            this.row = row;
            this.hit = hit;
            this.hitRank = hitRank;
            this.position = position;
            this.sentence = sentence;
            this.terms = terms;
        }

        double score() {
            return score;
        }

        /** What the embedding model reads: a row with the statement and column headers it sits under. */
        String meaningText() {
            return row && hit.section() != null ? hit.section() + "\n" + sentence : sentence;
        }

        int hitRank() {
            return hitRank;
        }

        int position() {
            return position;
        }
    }
}
