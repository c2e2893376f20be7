package dev.quarry.retrieval.fusion;

import dev.quarry.model.SearchHit;
import dev.quarry.retrieval.text.Terms;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a question says about where its answer is, applied to the fused candidates: the document it
 * names (company, period, title) and the financial statement it names. Two more ranked signals
 * beside BM25 and k-NN, added on the same reciprocal-rank scale:
 *
 * <ul>
 *   <li><b>Document</b>: the share of the question's document terms that the passage's document
 *       context holds, each term weighted by how few of the candidate documents hold it. A document
 *       term is a question term found in some candidates' contexts but not in all of them, so
 *       "Adobe" and "FY2015" count when Adobe's and Netflix's filings of several years compete, and
 *       nothing counts when all candidates come from one document.</li>
 *   <li><b>Section</b>: 1 when the question names a financial statement (by any of its usual names:
 *       "balance sheet" or "statement of financial position", "income statement" or "statement of
 *       operations", ...) and the passage sits under that statement's title or holds it as a line.</li>
 * </ul>
 *
 * <p>Each adds {@code weight * match / (k + 1)} to an RRF score ({@code weight * match} to a weighted
 * one): a full match weighs like being ranked first by one more list of that weight. Neither reads a model, so the cost is a few string scans per candidate.
 */
public final class Focus {

    /** The statements of a financial report, each with the names a question uses and the titles a report uses. */
    enum Statement {
        BALANCE_SHEET("balance\\s+sheets?|statements?\\s+of\\s+(?:consolidated\\s+)?financial\\s+(?:position|condition)",
                "balance\\s+sheets?|statements?\\s+of\\s+(?:consolidated\\s+)?financial\\s+(?:position|condition)"),
        INCOME("income\\s+statements?|statements?\\s+of\\s+(?:consolidated\\s+)?(?:income|operations|earnings)|profit\\s+(?:and|&)\\s+loss"
                + "|p\\s*&\\s*l\\b",
                "statements?\\s+of\\s+(?:consolidated\\s+)?(?:income|operations|earnings)|income\\s+statements?"
                + "|profit\\s+(?:and|&)\\s+loss"),
        CASH_FLOWS("cash\\s+flows?\\s+statements?|statements?\\s+of\\s+(?:consolidated\\s+)?cash\\s+flows?",
                "statements?\\s+of\\s+(?:consolidated\\s+)?cash\\s+flows?|cash\\s+flows?\\s+statements?"),
        EQUITY("(?:stockholders|shareholders)['’]?\\s+equity\\s+statements?|statements?\\s+of\\s+(?:changes\\s+in\\s+)?"
                + "(?:stockholders|shareholders)['’]?\\s+equity|statements?\\s+of\\s+changes\\s+in\\s+equity",
                "statements?\\s+of\\s+(?:changes\\s+in\\s+)?(?:stockholders|shareholders)['’]?\\s+equity"
                + "|statements?\\s+of\\s+changes\\s+in\\s+equity");

        final Pattern asked;
        final Pattern titled;

        Statement(String asked, String titled) {
            this.asked = Pattern.compile("\\b(?:" + asked + ")", Pattern.CASE_INSENSITIVE);
            this.titled = Pattern.compile("\\b(?:" + titled + ")", Pattern.CASE_INSENSITIVE);
        }
    }

    /** Default weight of the document signal (quarry.search.document-weight). */
    public static final double DEFAULT_DOCUMENT_WEIGHT = 0.5;
    /** Default weight of the statement signal (quarry.search.statement-weight). */
    public static final double DEFAULT_STATEMENT_WEIGHT = 0.5;

    /** The longest line read as a statement's title ("NIKE, Inc. Consolidated Statements of Income (continued)"). */
    private static final int TITLE_LINE = 80;

    private Focus() {
    }

    /**
     * @param question       the question as searched
     * @param fused          fused candidates, best first, scores on the RRF scale
     * @param documentWeight weight of the document signal (0 leaves it out)
     * @param sectionWeight  weight of the section signal (0 leaves it out)
     * @param fusion         how the candidates were fused: a full match weighs like a first rank (RRF) or a top
     *                       normalized score (weighted)
     * @param topK           how many to return
     * @return at most {@code topK} hits, best first, with the focused score
     */
    public static List<SearchHit> apply(String question, List<SearchHit> fused, double documentWeight, double sectionWeight,
            FusionOptions fusion, int topK) {
        if (fused.isEmpty() || (documentWeight <= 0 && sectionWeight <= 0)) {
            return fused.subList(0, Math.min(topK, fused.size()));
        }
        Map<String, Double> document = documentWeight > 0 ? documentMatch(question, fused) : Map.of();
        Set<Statement> asked = sectionWeight > 0 ? statementsAsked(question) : Set.of();
        double unit = fusion.method() == FusionMethod.RRF ? 1.0 / (fusion.rrfK() + 1) : 1.0;
        List<SearchHit> out = new ArrayList<>(fused.size());
        for (SearchHit hit : fused) {
            double score = hit.score()
                    + documentWeight * document.getOrDefault(hit.documentId(), 0.0) * unit
                    + (asked.isEmpty() ? 0 : sectionWeight * (underStatement(hit, asked) ? 1 : 0) * unit);
            out.add(hit.withScore(score));
        }
        out.sort(Fusion.BY_SCORE_THEN_ID);
        return out.subList(0, Math.min(topK, out.size()));
    }

    /** For each candidate document, the idf-weighted share of the question's document terms its context holds. */
    static Map<String, Double> documentMatch(String question, List<SearchHit> hits) {
        Map<String, Set<String>> contextTerms = new HashMap<>();
        for (SearchHit hit : hits) {
            contextTerms.computeIfAbsent(hit.documentId(), id -> hit.context() == null ? Set.of() : periodTerms(hit.context()));
        }
        int documents = contextTerms.size();
        if (documents < 2) {
            return Map.of();
        }
        Map<String, Double> weight = new HashMap<>();
        for (String term : periodTerms(question)) {
            long df = contextTerms.values().stream().filter(terms -> terms.contains(term)).count();
            if (df > 0 && df < documents) {
                weight.put(term, Math.log(1 + (double) documents / df));
            }
        }
        double total = weight.values().stream().mapToDouble(Double::doubleValue).sum();
        if (total == 0) {
            return Map.of();
        }
        Map<String, Double> match = new HashMap<>();
        contextTerms.forEach((id, terms) -> match.put(id,
                weight.entrySet().stream().filter(e -> terms.contains(e.getKey())).mapToDouble(Map.Entry::getValue).sum() / total));
        return match;
    }

    /**
     * Content terms, with a period read as its parts: "FY2023" as "fy" and "2023", "FY16" as "fy" and "2016",
     * "2023Q2" and "Q2FY23" as "2023" and "q2", so that a question and a title meet on the year and the quarter
     * whichever way each writes them.
     */
    static Set<String> periodTerms(String text) {
        Set<String> terms = new java.util.LinkedHashSet<>();
        for (String term : Terms.contentTermSet(text)) {
            java.util.regex.Matcher m = PERIOD.matcher(term);
            boolean lettersAndDigits = term.chars().anyMatch(Character::isLetter) && term.chars().anyMatch(Character::isDigit);
            if (!lettersAndDigits || !m.matches()) {
                terms.add(term);
                continue;
            }
            for (int g = 1; g <= m.groupCount(); g++) {
                String part = m.group(g);
                if (part != null && !part.isEmpty()) {
                    terms.add(part.length() == 2 && Character.isDigit(part.charAt(0)) ? "20" + part : part);
                }
            }
        }
        return terms;
    }

    /** fy2023, fy23, 2023q2, q2fy23, q22023, h12023, 2023h1: (q|h)(fy)(year)(q|h). */
    private static final Pattern PERIOD = Pattern.compile(
            "([qh][1-4])?(fy)?((?:19|20)\\d{2}|\\d{2})?([qh][1-4])?");

    /** The financial statements a question names. */
    static Set<Statement> statementsAsked(String question) {
        Set<Statement> out = EnumSet.noneOf(Statement.class);
        for (Statement s : Statement.values()) {
            if (s.asked.matcher(question).find()) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * The passage sits under one of these statements' titles, or holds one as a line of its own (a title
     * is short; a sentence that mentions a statement in passing is not).
     */
    static boolean underStatement(SearchHit hit, Set<Statement> statements) {
        for (Statement s : statements) {
            if (hit.section() != null && s.titled.matcher(hit.section()).find()) {
                return true;
            }
        }
        if (hit.text() == null) {
            return false;
        }
        for (String line : hit.text().split("\n")) {
            if (line.length() <= TITLE_LINE) {
                for (Statement s : statements) {
                    if (s.titled.matcher(line).find()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
