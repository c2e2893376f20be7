package dev.quarry.tools;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Page-level retrieval and citation scores of a PDF question set. A question is about one document
 * and names the pages that hold its evidence; a hit counts for the document when it comes from it,
 * and for the page when it also comes from an evidence page. Ranks are 1-based; 0 means "not among
 * the returned hits", so a score at any cut-off up to the number of hits asked for can be taken
 * from the ranks alone.
 */
final class PdfQaMetrics {
    static final int MRR_CUTOFF = 10;

    private PdfQaMetrics() {
    }

    /**
     * One search hit as the API returns it. {@code spanPages} are the pages of the hit's
     * {@code spans} when the API sends them: a chunk's span list says which pages its text really
     * comes from, which can be fewer than {@code pageStart..pageEnd}; without spans the range is all
     * there is.
     */
    record Hit(String documentId, String name, int pageStart, int pageEnd, List<Integer> spanPages, double score) {
        Set<Integer> pages() {
            Set<Integer> pages = new TreeSet<>(spanPages);
            if (pages.isEmpty()) {
                for (int p = pageStart; p <= pageEnd; p++) {
                    pages.add(p);
                }
            }
            return pages;
        }

        boolean covers(Collection<Integer> evidencePages) {
            Set<Integer> pages = pages();
            return evidencePages.stream().anyMatch(pages::contains);
        }

        /** A hit of /v1/search or /v1/query; {@code spans} as {@code [{"page": 3, ...}]} or {@code [3, 4]}. */
        static Hit of(JsonNode h) {
            List<Integer> spans = new ArrayList<>();
            for (JsonNode s : h.path("spans")) {
                JsonNode page = s.isObject() ? s.path("page") : s;
                if (page.canConvertToInt()) {
                    spans.add(page.asInt());
                }
            }
            return new Hit(h.path("documentId").asText(), h.path("name").asText(), h.path("pageStart").asInt(),
                    h.path("pageEnd").asInt(), List.copyOf(spans), h.path("score").asDouble());
        }
    }

    /** One citation of a /v1/query answer; {@code page} is 1-based. */
    record Citation(String documentId, String name, int page, String quote) {
        static Citation of(JsonNode c) {
            return new Citation(c.path("documentId").asText(), c.path("name").asText(), c.path("page").asInt(), c.path("quote").asText());
        }
    }

    /** Rank of the first hit from {@code documentId}, or 0. */
    static int docRank(List<Hit> hits, String documentId) {
        return firstRank(hits, h -> h.documentId().equals(documentId));
    }

    /** Rank of the first hit from {@code documentId} whose pages include an evidence page, or 0. */
    static int pageRank(List<Hit> hits, String documentId, Collection<Integer> evidencePages) {
        return firstRank(hits, h -> h.documentId().equals(documentId) && h.covers(evidencePages));
    }

    private static int firstRank(List<Hit> hits, Predicate<Hit> right) {
        for (int i = 0; i < hits.size(); i++) {
            if (right.test(hits.get(i))) {
                return i + 1;
            }
        }
        return 0;
    }

    static boolean atK(int rank, int k) {
        return rank >= 1 && rank <= k;
    }

    static double reciprocalRank(int rank, int cutoff) {
        return atK(rank, cutoff) ? 1.0 / rank : 0.0;
    }

    /** Whether a citation points at the question's document on one of its evidence pages. */
    static boolean citesEvidence(List<Citation> citations, String documentId, Collection<Integer> evidencePages) {
        return citations.stream().anyMatch(c -> c.documentId().equals(documentId) && evidencePages.contains(c.page()));
    }

    static boolean citesDocument(List<Citation> citations, String documentId) {
        return citations.stream().anyMatch(c -> c.documentId().equals(documentId));
    }

    /** Where one question's right document and right page ranked in one mode. */
    record Ranks(int docRank, int pageRank) {
    }

    /** What one /v1/query answer got right. */
    record Answered(boolean found, boolean citesDocument, boolean citesEvidence) {
    }

    /** Shares of questions over one mode: doc@k and page@k per cut-off, MRR@10 of the right page; client latency. */
    record ModeSummary(String mode, int questions, Map<Integer, Double> docAtK, Map<Integer, Double> pageAtK, double mrrAt10,
                       double p50Millis, double p95Millis) {
    }

    /**
     * /v1/query: {@code citeRate} = share of answers citing an evidence page of the right document,
     * {@code citedDocumentRate} = citing the right document at all, {@code foundRate} = answering
     * {@code "found": true}.
     */
    record AnswerSummary(int questions, double citeRate, double citedDocumentRate, double foundRate, double p50Millis,
                         double p95Millis) {
    }

    static ModeSummary summarize(String mode, List<Ranks> ranks, List<Double> millis, List<Integer> ks) {
        Map<Integer, Double> doc = new LinkedHashMap<>();
        Map<Integer, Double> page = new LinkedHashMap<>();
        for (int k : ks) {
            doc.put(k, share(ranks, r -> atK(r.docRank(), k)));
            page.put(k, share(ranks, r -> atK(r.pageRank(), k)));
        }
        double mrr = ranks.stream().mapToDouble(r -> reciprocalRank(r.pageRank(), MRR_CUTOFF)).average().orElse(Double.NaN);
        return new ModeSummary(mode, ranks.size(), doc, page, mrr, Stats.percentile(millis, 50), Stats.percentile(millis, 95));
    }

    static AnswerSummary summarizeAnswers(List<Answered> answers, List<Double> millis) {
        return new AnswerSummary(answers.size(), share(answers, Answered::citesEvidence), share(answers, Answered::citesDocument),
                share(answers, Answered::found), Stats.percentile(millis, 50), Stats.percentile(millis, 95));
    }

    /** The share of {@code items} that pass; NaN for none, so an empty group reads "n/a", not 0. */
    static <T> double share(Collection<T> items, Predicate<T> pass) {
        if (items.isEmpty()) {
            return Double.NaN;
        }
        return (double) items.stream().filter(pass).count() / items.size();
    }
}
