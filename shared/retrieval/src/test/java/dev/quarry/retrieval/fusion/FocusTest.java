package dev.quarry.retrieval.fusion;

import dev.quarry.model.ChunkSpan;
import dev.quarry.model.SearchHit;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FocusTest {

    private static final FusionOptions RRF = FusionOptions.defaults();
    private static final String ADOBE_2015 = "ADOBE 2015 10K | ADOBE SYSTEMS INCORPORATED | fiscal year ended November 27, 2015 (FY2015)";
    private static final String ADOBE_2016 = "ADOBE 2016 10K | ADOBE SYSTEMS INCORPORATED | fiscal year ended December 2, 2016 (FY2016)";
    private static final String NETFLIX_2015 = "NETFLIX 2015 10K | Netflix, Inc. | fiscal year ended December 31, 2015 (FY2015)";

    private static SearchHit hit(String id, String documentId, double score, String text, String section, String context) {
        return new SearchHit(id, documentId, documentId + ".pdf", 1, 1, text, List.of(new ChunkSpan(1, 0, text.length())), score,
                section, context);
    }

    private static double rank(int r) {
        return 1.0 / (60 + r);
    }

    @Test
    void the_document_the_question_names_rises_above_a_better_fused_hit_of_another_company() {
        List<SearchHit> fused = List.of(
                hit("netflix", "nflx-2015", rank(1), "Free cash flow was $(920) million.", "ITEM 7. MD&A", NETFLIX_2015),
                hit("adobe-2016", "adbe-2016", rank(2), "Net cash provided by operating activities 1,199,742", null, ADOBE_2016),
                hit("adobe-2015", "adbe-2015", rank(3), "Net cash provided by operating activities 1,469,502", null, ADOBE_2015));

        List<SearchHit> focused = Focus.apply("What is the FY2015 operating cash flow ratio for Adobe?", fused, 0.5, 0, RRF, 3);

        assertThat(focused).extracting(SearchHit::chunkId).containsExactly("adobe-2015", "netflix", "adobe-2016");
        // Adobe and FY2015 both match: a full match adds half a first rank; each of the others matches one of the two.
        assertThat(focused.get(0).score()).isCloseTo(rank(3) + 0.5 / 61, within(1e-12));
    }

    @Test
    void document_terms_weigh_by_how_few_candidate_documents_hold_them() {
        List<SearchHit> fused = List.of(
                hit("a", "adbe-2015", rank(1), "x", null, ADOBE_2015),
                hit("b", "adbe-2016", rank(2), "x", null, ADOBE_2016),
                hit("c", "nflx-2015", rank(3), "x", null, NETFLIX_2015));

        Map<String, Double> match = Focus.documentMatch("Adobe's FY2015 revenue", fused);

        // "adobe" and "2015" are each held by 2 of 3 documents; "fy" by all 3 and "revenue" by none, so they do not count.
        assertThat(match.get("adbe-2015")).isCloseTo(1.0, within(1e-12));
        assertThat(match.get("adbe-2016")).isCloseTo(0.5, within(1e-12));
        assertThat(match.get("nflx-2015")).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void a_period_written_as_fy2023_or_2023q2_meets_its_parts() {
        assertThat(Focus.periodTerms("Q2 of FY2023")).containsExactlyInAnyOrder("q2", "fy", "2023");
        assertThat(Focus.periodTerms("JOHNSON JOHNSON 2023Q2 EARNINGS")).containsExactlyInAnyOrder("johnson", "2023", "q2", "earning");
        assertThat(Focus.periodTerms("ADBE 10K FY16, filed June 30")).containsExactlyInAnyOrder("adbe", "10k", "fy", "2016", "filed",
                "june", "30");

        List<SearchHit> fused = List.of(
                hit("msft", "msft-2023", rank(1), "x", null, "MICROSOFT 2023 10K | fiscal year ended June 30, 2023 (FY2023)"),
                hit("jnj", "jnj-2023q2", rank(2), "x", null, "JOHNSON JOHNSON 2023Q2 EARNINGS"),
                hit("nke", "nke-2023", rank(3), "x", null, "NIKE 2023 10K | NIKE, Inc. | fiscal year ended May 31, 2023 (FY2023)"));

        Map<String, Double> match = Focus.documentMatch("Did JnJ's net earnings increase in Q2 of FY2023?", fused);

        assertThat(match.get("jnj-2023q2")).isGreaterThan(match.get("msft-2023"));
    }

    @Test
    void nothing_changes_when_every_candidate_comes_from_one_document_or_none_has_a_context() {
        List<SearchHit> oneDocument = List.of(
                hit("a", "adbe-2015", rank(1), "x", null, ADOBE_2015),
                hit("b", "adbe-2015", rank(2), "y", null, ADOBE_2015));
        List<SearchHit> noContext = List.of(
                hit("a", "d1", rank(1), "x", null, null),
                hit("b", "d2", rank(2), "y", null, null));

        assertThat(Focus.documentMatch("Adobe FY2015", oneDocument)).isEmpty();
        assertThat(Focus.documentMatch("Adobe FY2015", noContext)).isEmpty();
        assertThat(Focus.apply("Adobe FY2015", noContext, 0.5, 0.5, RRF, 2)).isEqualTo(noContext);
    }

    @Test
    void a_statement_is_known_by_the_names_questions_use_and_the_titles_reports_use() {
        assertThat(Focus.statementsAsked("Using only the information within the balance sheet, how much total assets"))
                .containsExactly(Focus.Statement.BALANCE_SHEET);
        assertThat(Focus.statementsAsked("the statement of financial position and the cash flow statement"))
                .containsExactly(Focus.Statement.BALANCE_SHEET, Focus.Statement.CASH_FLOWS);
        assertThat(Focus.statementsAsked("by primarily using the statement of income"))
                .containsExactly(Focus.Statement.INCOME);
        assertThat(Focus.statementsAsked("What was revenue growth in 2019?")).isEmpty();

        Set<Focus.Statement> income = Set.of(Focus.Statement.INCOME);
        assertThat(Focus.underStatement(hit("a", "d", 0, "Revenue 5,000", "ITEM 8. | CONSOLIDATED STATEMENTS OF OPERATIONS | 2019 2018", null),
                income)).isTrue();
        assertThat(Focus.underStatement(hit("b", "d", 0, "Revenue 5,000", "CONSOLIDATED STATEMENTS OF COMPREHENSIVE INCOME", null),
                income)).isFalse();
        // A chunk that opens a statement is known by the title line it holds, even under another section.
        assertThat(Focus.underStatement(hit("c", "d", 0, "CONSOLIDATED STATEMENTS OF OPERATIONS\n(In millions)\nRevenue 5,000",
                "CONSOLIDATED BALANCE SHEETS", null), income)).isTrue();
        assertThat(Focus.underStatement(hit("d", "d", 0, "July 24, 2018\nWe have served as the Company's auditor since 1974.\n"
                + "NIKE, Inc. Consolidated Statements of Income\nRevenues $ 36,397 $ 34,350", "Portland, Oregon", null), income)).isTrue();
        // A sentence that mentions the statement in passing is not its title.
        assertThat(Focus.underStatement(hit("e", "d", 0, "Gross margin declined, as shown in the consolidated statements of income "
                + "included elsewhere in this report, because of higher product costs.", "ITEM 7. MD&A", null), income)).isFalse();
    }

    @Test
    void the_statement_the_question_names_lifts_its_page_over_prose_that_discusses_it() {
        List<SearchHit> fused = List.of(
                hit("mdna", "d", rank(1), "Total assets increased due to acquisitions.", "ITEM 7. MANAGEMENT'S DISCUSSION", null),
                hit("sheet", "d", rank(2), "Total assets 59,268 55,556", "ITEM 8. | CONSOLIDATED BALANCE SHEETS | 2021 2020", null));

        List<SearchHit> focused = Focus.apply("how much total assets at the end of FY2021? Use the balance sheet.", fused, 0.5, 0.5,
                RRF, 2);

        assertThat(focused).extracting(SearchHit::chunkId).containsExactly("sheet", "mdna");
        assertThat(Focus.apply("how much total assets at the end of FY2021? Use the balance sheet.", fused, 0.5, 0, RRF, 2))
                .extracting(SearchHit::chunkId).containsExactly("mdna", "sheet");
    }

    @Test
    void on_weighted_fusion_a_full_match_weighs_like_a_top_normalized_score() {
        FusionOptions weighted = new FusionOptions(FusionMethod.WEIGHTED, 60, 0.3, 0.7);
        List<SearchHit> fused = List.of(
                hit("a", "adbe-2016", 1.0, "x", null, ADOBE_2016),
                hit("b", "adbe-2015", 0.2, "x", null, ADOBE_2015));

        List<SearchHit> focused = Focus.apply("Adobe FY2015", fused, 1.0, 0, weighted, 2);

        assertThat(focused.get(0).chunkId()).isEqualTo("b");
        assertThat(focused.get(0).score()).isCloseTo(0.2 + 1.0, within(1e-12));
    }
}
