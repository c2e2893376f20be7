package dev.quarry.tools;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PdfQaMetricsTest {
    private static final String DOC = "aaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String OTHER = "bbbbbbbbbbbbbbbbbbbbbbbb";

    private static PdfQaMetrics.Hit hit(String doc, int start, int end, Integer... spanPages) {
        return new PdfQaMetrics.Hit(doc, doc.equals(DOC) ? "RIGHT.pdf" : "OTHER.pdf", start, end, List.of(spanPages), 1.0);
    }

    private static PdfQaMetrics.Citation cite(String doc, int page) {
        return new PdfQaMetrics.Citation(doc, "x.pdf", page, "quote");
    }

    @Test
    void a_hit_without_spans_covers_every_page_from_start_to_end() {
        PdfQaMetrics.Hit h = hit(DOC, 3, 5);

        assertThat(h.pages()).containsExactly(3, 4, 5);
        assertThat(h.covers(List.of(5, 40))).isTrue();
        assertThat(h.covers(List.of(2, 6))).isFalse();
    }

    @Test
    void a_hit_with_spans_covers_only_the_pages_of_its_spans() {
        PdfQaMetrics.Hit h = hit(DOC, 3, 5, 3, 5); // text from pages 3 and 5, none from 4

        assertThat(h.pages()).containsExactly(3, 5);
        assertThat(h.covers(List.of(4))).isFalse();
        assertThat(h.covers(List.of(4, 5))).isTrue();
    }

    @Test
    void reads_hits_with_span_objects_span_numbers_or_no_spans() throws Exception {
        PdfQaMetrics.Hit objects = PdfQaMetrics.Hit.of(BeirDataset.JSON.readTree("""
                {"chunkId": "c", "documentId": "d1", "name": "A.pdf", "pageStart": 7, "pageEnd": 9, "text": "t", "score": 0.5,
                 "spans": [{"page": 7, "start": 0, "end": 10}, {"page": 9, "start": 0, "end": 4}]}"""));
        PdfQaMetrics.Hit numbers = PdfQaMetrics.Hit.of(BeirDataset.JSON.readTree("""
                {"documentId": "d1", "name": "A.pdf", "pageStart": 7, "pageEnd": 9, "score": 0.5, "spans": [8]}"""));
        PdfQaMetrics.Hit none = PdfQaMetrics.Hit.of(BeirDataset.JSON.readTree("""
                {"documentId": "d1", "name": "A.pdf", "pageStart": 7, "pageEnd": 9, "score": 0.25}"""));

        assertThat(objects.pages()).containsExactly(7, 9);
        assertThat(objects.name()).isEqualTo("A.pdf");
        assertThat(objects.score()).isEqualTo(0.5);
        assertThat(numbers.pages()).containsExactly(8);
        assertThat(none.pages()).containsExactly(7, 8, 9);
    }

    @Test
    void doc_rank_is_the_first_hit_of_the_right_document_and_page_rank_the_first_that_also_spans_evidence() {
        List<PdfQaMetrics.Hit> hits = List.of(
                hit(OTHER, 12, 12),   // right page number, wrong document: counts for nothing
                hit(DOC, 1, 2),       // right document, wrong pages
                hit(DOC, 11, 13, 11, 13),
                hit(DOC, 12, 12));

        assertThat(PdfQaMetrics.docRank(hits, DOC)).isEqualTo(2);
        assertThat(PdfQaMetrics.pageRank(hits, DOC, List.of(12))).isEqualTo(4); // #3 spans 11 and 13 only
        assertThat(PdfQaMetrics.pageRank(hits, DOC, List.of(12, 13))).isEqualTo(3);
        assertThat(PdfQaMetrics.pageRank(hits, DOC, List.of(50))).isZero();
        assertThat(PdfQaMetrics.docRank(List.of(hit(OTHER, 1, 1)), DOC)).isZero();
    }

    @Test
    void at_k_counts_ranks_one_to_k_and_never_a_missing_rank() {
        assertThat(PdfQaMetrics.atK(1, 1)).isTrue();
        assertThat(PdfQaMetrics.atK(5, 5)).isTrue();
        assertThat(PdfQaMetrics.atK(6, 5)).isFalse();
        assertThat(PdfQaMetrics.atK(0, 5)).isFalse();
        assertThat(PdfQaMetrics.reciprocalRank(4, 10)).isEqualTo(0.25);
        assertThat(PdfQaMetrics.reciprocalRank(11, 10)).isZero();
        assertThat(PdfQaMetrics.reciprocalRank(0, 10)).isZero();
    }

    @Test
    void summarizes_doc_and_page_at_k_and_mrr_over_questions() {
        List<PdfQaMetrics.Ranks> ranks = List.of(
                new PdfQaMetrics.Ranks(1, 1),
                new PdfQaMetrics.Ranks(1, 4),
                new PdfQaMetrics.Ranks(2, 0),
                new PdfQaMetrics.Ranks(0, 0));

        PdfQaMetrics.ModeSummary s = PdfQaMetrics.summarize("hybrid", ranks, List.of(10.0, 20.0, 30.0, 400.0), List.of(1, 3, 5));

        assertThat(s.questions()).isEqualTo(4);
        assertThat(s.docAtK()).isEqualTo(Map.of(1, 0.5, 3, 0.75, 5, 0.75));
        assertThat(s.pageAtK()).isEqualTo(Map.of(1, 0.25, 3, 0.25, 5, 0.5));
        assertThat(s.mrrAt10()).isCloseTo((1.0 + 0.25) / 4, within(1e-12));
        assertThat(s.p50Millis()).isEqualTo(20.0);
        assertThat(s.p95Millis()).isEqualTo(400.0);
    }

    @Test
    void an_answer_cites_evidence_only_with_the_right_document_on_an_evidence_page() {
        List<Integer> evidence = List.of(59, 63);

        assertThat(PdfQaMetrics.citesEvidence(List.of(cite(DOC, 63)), DOC, evidence)).isTrue();
        assertThat(PdfQaMetrics.citesEvidence(List.of(cite(OTHER, 63), cite(DOC, 60)), DOC, evidence)).isFalse();
        assertThat(PdfQaMetrics.citesDocument(List.of(cite(OTHER, 63), cite(DOC, 60)), DOC)).isTrue();
        assertThat(PdfQaMetrics.citesDocument(List.of(), DOC)).isFalse();
    }

    @Test
    void summarizes_cite_rate_cited_document_and_found_rate() {
        PdfQaMetrics.AnswerSummary s = PdfQaMetrics.summarizeAnswers(List.of(
                new PdfQaMetrics.Answered(true, true, true),
                new PdfQaMetrics.Answered(true, true, false),
                new PdfQaMetrics.Answered(true, false, false),
                new PdfQaMetrics.Answered(false, false, false)), List.of(5.0, 6.0, 7.0, 8.0));

        assertThat(s.citeRate()).isEqualTo(0.25);
        assertThat(s.citedDocumentRate()).isEqualTo(0.5);
        assertThat(s.foundRate()).isEqualTo(0.75);
        assertThat(s.p50Millis()).isEqualTo(6.0);
        assertThat(PdfQaMetrics.summarizeAnswers(List.of(), List.of()).citeRate()).isNaN();
    }

    @Test
    void breaks_page_at_5_down_by_question_type_and_lists_what_ranked_instead_of_a_missed_page() {
        PdfQaReport.ModeRow hit = new PdfQaReport.ModeRow(List.of(new PdfQaReport.HitRow("RIGHT.pdf", 12, 12, 0.9)), 1, 1, 5);
        PdfQaReport.ModeRow miss = new PdfQaReport.ModeRow(List.of(
                new PdfQaReport.HitRow("OTHER_2019.pdf", 3, 4, 0.9), new PdfQaReport.HitRow("RIGHT.pdf", 30, 30, 0.8)), 2, 0, 5);
        PdfQaReport.AnswerRow cited = new PdfQaReport.AnswerRow(true, "extractive", "a", List.of(), true, true, 9);
        PdfQaReport.AnswerRow uncited = new PdfQaReport.AnswerRow(true, "extractive", "a", List.of(), false, false, 9);
        List<PdfQaReport.QuestionRow> rows = List.of(
                new PdfQaReport.QuestionRow("q1", "RIGHT", "metrics", "?", List.of(12), Map.of("bm25", hit, "hybrid", hit), cited),
                new PdfQaReport.QuestionRow("q2", "RIGHT", "metrics", "?", List.of(12, 14), Map.of("bm25", miss, "hybrid", miss), uncited),
                new PdfQaReport.QuestionRow("q3", "RIGHT", "novel", "?", List.of(12), Map.of("bm25", miss, "hybrid", hit), uncited));

        List<PdfQaReport.TypeRow> types = PdfQaReport.byQuestionType(rows, List.of("bm25", "hybrid"));

        assertThat(types).extracting(PdfQaReport.TypeRow::questionType).containsExactly("metrics", "novel");
        assertThat(types.getFirst().questions()).isEqualTo(2);
        assertThat(types.getFirst().pageAt5()).isEqualTo(Map.of("bm25", 0.5, "hybrid", 0.5));
        assertThat(types.getFirst().citeRate()).isEqualTo(0.5);
        assertThat(types.get(1).pageAt5()).isEqualTo(Map.of("bm25", 0.0, "hybrid", 1.0));
        assertThat(PdfQaReport.misses(rows, "hybrid", 5)).containsExactly(
                "q2 (RIGHT, metrics; evidence p.12,14): right page not returned, right doc #2; top 5: OTHER_2019 p.3-4, RIGHT p.30");
    }
}
