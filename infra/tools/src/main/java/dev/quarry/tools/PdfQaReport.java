package dev.quarry.tools;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The outcome of one PDF question run and its renderings: the markdown summary, results.json (the
 * summary and one row per question, enough to see what ranked instead of the evidence) and a chart.
 */
final class PdfQaReport {
    /** The cut-off of the headline numbers (chart, per-type breakdown, misses). */
    static final int HEADLINE_K = 5;

    /** A hit as the question row keeps it: which document and pages, how it scored. */
    record HitRow(String document, int pageStart, int pageEnd, double score) {
    }

    /** One mode for one question: its top hits, the first rank of the right document and page (0 = not returned), latency. */
    record ModeRow(List<HitRow> top, int docRank, int pageRank, double millis) {
    }

    record CitationRow(String document, int page, String quote) {
    }

    /** The /v1/query answer for one question. */
    record AnswerRow(boolean found, String answerMode, String answer, List<CitationRow> citations, boolean citesDocument,
                     boolean citesEvidence, double millis) {
    }

    record QuestionRow(String id, String docName, String questionType, String question, List<Integer> evidencePages,
                       Map<String, ModeRow> modes, AnswerRow query) {
    }

    record Ingest(int documents, int uploaded, long ready, long failed, long pages, long chunks, double seconds,
                  List<PdfQaIngest.Document> perDocument) {
    }

    /** page@{@value HEADLINE_K} per mode and the cite rate, over the questions of one type. */
    record TypeRow(String questionType, int questions, Map<String, Double> pageAt5, double citeRate) {
    }

    record Summary(String dataset, String tenant, String api, int questions, int datasetQuestions, List<Integer> ks, int searchTopK,
                   int queryTopK, Ingest ingest, List<PdfQaMetrics.ModeSummary> modes, PdfQaMetrics.AnswerSummary query,
                   List<TypeRow> byQuestionType, String createdAt) {
    }

    record Result(Summary summary, List<QuestionRow> questions) {
    }

    private PdfQaReport() {
    }

    /** Rows per mode: doc@k for every k, page@k for every k, MRR@10, latency p50/p95. */
    static String modeTable(List<PdfQaMetrics.ModeSummary> modes, List<Integer> ks) {
        List<String> headers = new ArrayList<>(List.of("mode"));
        ks.forEach(k -> headers.add("doc@" + k));
        ks.forEach(k -> headers.add("page@" + k));
        headers.addAll(List.of("MRR@10", "p50 ms", "p95 ms"));
        MarkdownTable t = new MarkdownTable(headers.toArray(String[]::new));
        for (PdfQaMetrics.ModeSummary m : modes) {
            List<Object> cells = new ArrayList<>(List.of(m.mode()));
            ks.forEach(k -> cells.add(m.docAtK().get(k)));
            ks.forEach(k -> cells.add(m.pageAtK().get(k)));
            cells.addAll(List.of(m.mrrAt10(), ms(m.p50Millis()), ms(m.p95Millis())));
            t.row(cells.toArray());
        }
        return t.render();
    }

    static String answerTable(PdfQaMetrics.AnswerSummary a, int topK) {
        return new MarkdownTable("/v1/query (topK " + topK + ")", "cite rate", "cited right doc", "found", "p50 ms", "p95 ms")
                .row("answers", a.citeRate(), a.citedDocumentRate(), a.foundRate(), ms(a.p50Millis()), ms(a.p95Millis())).render();
    }

    static String typeTable(List<TypeRow> rows, List<String> modes) {
        List<String> headers = new ArrayList<>(List.of("question_type", "questions"));
        modes.forEach(m -> headers.add(m + " page@" + HEADLINE_K));
        headers.add("cite rate");
        MarkdownTable t = new MarkdownTable(headers.toArray(String[]::new));
        for (TypeRow r : rows) {
            List<Object> cells = new ArrayList<>(List.of(r.questionType(), r.questions()));
            modes.forEach(m -> cells.add(r.pageAt5().get(m)));
            cells.add(r.citeRate());
            t.row(cells.toArray());
        }
        return t.render();
    }

    /** page@{@value HEADLINE_K} per mode and cite rate, grouped by question type (sorted by name). */
    static List<TypeRow> byQuestionType(List<QuestionRow> rows, List<String> modes) {
        Map<String, List<QuestionRow>> groups = rows.stream()
                .collect(Collectors.groupingBy(QuestionRow::questionType, TreeMap::new, Collectors.toList()));
        List<TypeRow> out = new ArrayList<>();
        groups.forEach((type, group) -> {
            Map<String, Double> pageAt5 = new LinkedHashMap<>();
            for (String m : modes) {
                pageAt5.put(m, PdfQaMetrics.share(group, r -> PdfQaMetrics.atK(r.modes().get(m).pageRank(), HEADLINE_K)));
            }
            out.add(new TypeRow(type, group.size(), pageAt5, PdfQaMetrics.share(group, r -> r.query().citesEvidence())));
        });
        return out;
    }

    /**
     * One line per question whose right page is not in the top {@code k} of {@code mode}: where the
     * evidence is, where the right page and document ranked, and what ranked above instead.
     */
    static List<String> misses(List<QuestionRow> rows, String mode, int k) {
        List<String> lines = new ArrayList<>();
        for (QuestionRow r : rows) {
            ModeRow m = r.modes().get(mode);
            if (PdfQaMetrics.atK(m.pageRank(), k)) {
                continue;
            }
            String instead = m.top().stream().limit(k)
                    .map(h -> String.format(Locale.ROOT, "%s %s", shortName(h.document()), pages(h.pageStart(), h.pageEnd())))
                    .collect(Collectors.joining(", "));
            lines.add(String.format(Locale.ROOT, "%s (%s, %s; evidence %s): right page %s, right doc %s; top %d: %s", r.id(), r.docName(),
                    r.questionType(), r.evidencePages().stream().map(String::valueOf).collect(Collectors.joining(",", "p.", "")),
                    rank(m.pageRank()), rank(m.docRank()), k, instead.isEmpty() ? "nothing" : instead));
        }
        return lines;
    }

    static String markdown(Result result, List<String> modes) {
        Summary s = result.summary();
        StringBuilder out = new StringBuilder();
        out.append("# ").append(s.dataset()).append(": page-level retrieval and cited answers\n\n");
        out.append(modeTable(s.modes(), s.ks())).append('\n');
        out.append(answerTable(s.query(), s.queryTopK())).append('\n');
        Ingest ix = s.ingest();
        out.append(String.format(Locale.ROOT, "- ingest: %d PDFs, %d READY, %d FAILED; %d pages -> %d chunks", ix.documents(), ix.ready(),
                ix.failed(), ix.pages(), ix.chunks()));
        if (ix.uploaded() == 0) {
            out.append("; all were already READY in the tenant (run with --reingest to measure ingestion)\n");
        } else {
            out.append(String.format(Locale.ROOT, "; %d uploaded and processed in %.1f s (%.1f pages/s) through the local stack%n",
                    ix.uploaded(), ix.seconds(), uploadedPages(ix) / ix.seconds()));
        }
        out.append(String.format(Locale.ROOT, "- questions: %d%s; tenant `%s` at %s%n", s.questions(),
                s.questions() == s.datasetQuestions() ? "" : " of " + s.datasetQuestions() + " (deterministic sample)", s.tenant(), s.api()));
        out.append(String.format(Locale.ROOT, "- /v1/search with topK %d per mode; doc@k: a top-k hit comes from the question's document; "
                + "page@k: such a hit also spans an evidence page (its spans' pages, else pageStart..pageEnd); MRR@10 of the right page%n",
                s.searchTopK()));
        out.append("- /v1/query: cite rate = a citation names the right document and an evidence page; cited right doc = the right "
                + "document at any page; found = the answer says it found something\n");
        out.append("- latency: client wall-clock per request through the local API gateway and Lambda runtime, after warm-up\n");
        out.append("- run at ").append(s.createdAt()).append("\n\n");
        out.append("## page@").append(HEADLINE_K).append(" by question type\n\n").append(typeTable(s.byQuestionType(), modes)).append('\n');
        List<String> misses = misses(result.questions(), "hybrid", HEADLINE_K);
        out.append("## hybrid page@").append(HEADLINE_K).append(" misses (").append(misses.size()).append(")\n\n");
        misses.forEach(m -> out.append("- ").append(m).append('\n'));
        return out.toString();
    }

    /**
     * Right document and right page per mode, at {@value HEADLINE_K}; for /v1/query the same two
     * questions asked of its citations (cited the right document; cited an evidence page).
     */
    static void writeChart(Summary s, Path file) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(520)
                .title(s.dataset() + " (" + s.questions() + " questions)").xAxisTitle("").yAxisTitle("share of questions").build();
        EvalReport.styleScores(chart);
        List<String> categories = new ArrayList<>();
        List<Double> doc = new ArrayList<>();
        List<Double> page = new ArrayList<>();
        for (PdfQaMetrics.ModeSummary m : s.modes()) {
            categories.add(m.mode() + " @" + HEADLINE_K);
            doc.add(zeroIfNaN(m.docAtK().get(HEADLINE_K)));
            page.add(zeroIfNaN(m.pageAtK().get(HEADLINE_K)));
        }
        categories.add("/v1/query citations");
        doc.add(zeroIfNaN(s.query().citedDocumentRate()));
        page.add(zeroIfNaN(s.query().citeRate()));
        chart.addSeries("right document (doc@" + HEADLINE_K + "; cited right doc)", categories, doc);
        chart.addSeries("right page (page@" + HEADLINE_K + "; cite rate)", categories, page);
        EvalReport.savePng(chart, file);
    }

    private static long uploadedPages(Ingest ix) {
        return ix.perDocument().stream().filter(PdfQaIngest.Document::uploaded).mapToLong(PdfQaIngest.Document::pages).sum();
    }

    private static double zeroIfNaN(Double v) {
        return v == null || v.isNaN() ? 0.0 : v;
    }

    private static String shortName(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".pdf") ? name.substring(0, name.length() - 4) : name;
    }

    private static String pages(int start, int end) {
        return start == end ? "p." + start : "p." + start + "-" + end;
    }

    private static String rank(int rank) {
        return rank == 0 ? "not returned" : "#" + rank;
    }

    private static String ms(double millis) {
        return Double.isNaN(millis) ? "n/a" : String.format(Locale.ROOT, "%.1f", millis);
    }
}
