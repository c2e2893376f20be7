package dev.quarry.core.extract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.model.DocumentContext;
import org.junit.jupiter.api.Test;

class DocumentContextsTest {
    static final String COVER = """
            UNITED STATES SECURITIES AND EXCHANGE COMMISSION

            FORM 10-K
            ANNUAL REPORT PURSUANT TO SECTION 13 OR 15(D) OF THE SECURITIES EXCHANGE ACT OF 1934
            FOR THE FISCAL YEAR ENDED MAY 31, 2019

            NIKE, Inc. (Exact name of Registrant as specified in its charter)
            """;

    @Test
    void reads_registrant_and_fiscal_year_from_a_filing_cover() {
        DocumentContext c = DocumentContexts.of("NIKE_2019_10K.pdf", null, COVER);
        assertThat(c.title()).isEqualTo("NIKE 2019 10K");
        assertThat(c.company()).isEqualTo("NIKE, Inc.");
        assertThat(c.period()).isEqualTo("fiscal year ended May 31, 2019 (FY2019)");
        assertThat(c.summary()).isEqualTo("NIKE 2019 10K | NIKE, Inc. | fiscal year ended May 31, 2019 (FY2019)");
    }

    @Test
    void a_registrant_name_broken_over_two_lines_is_joined() {
        String cover = "Date of Report (Date of earliest event reported): July 1, 2022 (June 30,\n2022)\n\nAMCOR\n"
                + "PLC (Exact name of registrant as specified in its charter)";
        DocumentContext c = DocumentContexts.of("amcor-8k.pdf", null, cover);
        assertThat(c.company()).isEqualTo("AMCOR PLC");
        assertThat(c.period()).isEqualTo("report dated July 1, 2022");
    }

    @Test
    void quarterly_periods_are_named_without_a_fiscal_year_label() {
        assertThat(DocumentContexts.period("For the quarterly period ended June 30, 2023"))
                .isEqualTo("quarterly period ended June 30, 2023");
    }

    @Test
    void a_meaningful_metadata_title_leads_and_junk_titles_are_ignored() {
        assertThat(DocumentContexts.of("adobe.pdf", "ADBE 10K FY15", "").title()).isEqualTo("ADBE 10K FY15 (adobe)");
        assertThat(DocumentContexts.of("AMAZON_2019_10K.pdf", "0001018724-20-000004", "").title()).isEqualTo("AMAZON 2019 10K");
        assertThat(DocumentContexts.of("report.pdf", "Microsoft Word - draft.docx", "").title()).isEqualTo("report");
    }

    @Test
    void nothing_found_stays_null_and_the_summary_is_empty_without_any_part() {
        DocumentContext c = DocumentContexts.of("___.pdf", null, "Just some text about nothing in particular.");
        assertThat(c.title()).isNull();
        assertThat(c.company()).isNull();
        assertThat(c.period()).isNull();
        assertThat(c.summary()).isEmpty();
    }
}
