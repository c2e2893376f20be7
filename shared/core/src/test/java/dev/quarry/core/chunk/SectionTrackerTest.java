package dev.quarry.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SectionTrackerTest {

    @Test
    void a_row_knows_its_statement_its_sub_heading_and_its_years() {
        SectionTracker t = new SectionTracker();
        t.accept("ITEM 8. FINANCIAL STATEMENTS AND SUPPLEMENTARY DATA");
        t.accept("The consolidated financial statements of the company are presented on the following pages.");
        t.accept("CONSOLIDATED BALANCE SHEETS");
        t.accept("(Dollars in millions) 2019 2018");
        t.accept("ASSETS");
        t.accept("Inventories 5,622 5,261");
        t.accept("LIABILITIES AND SHAREHOLDERS' EQUITY");
        assertThat(t.accept("Accounts payable 2,612 2,279")).isEqualTo("ITEM 8. FINANCIAL STATEMENTS AND SUPPLEMENTARY DATA"
                + " | CONSOLIDATED BALANCE SHEETS | LIABILITIES AND SHAREHOLDERS' EQUITY | (Dollars in millions) 2019 2018");
    }

    @Test
    void a_heading_followed_by_column_headers_starts_a_new_table() {
        SectionTracker t = new SectionTracker();
        t.accept("CONSOLIDATED STATEMENTS OF INCOME");
        t.accept("(In millions) 2019 2018 2017");
        t.accept("Revenues 39,117 36,397 34,350");
        t.accept("CONSOLIDATED STATEMENTS OF CASH FLOWS");
        t.accept("(Dollars in millions) 2019 2018 2017");
        assertThat(t.accept("Net income 4,029 1,933 4,240"))
                .isEqualTo("CONSOLIDATED STATEMENTS OF CASH FLOWS | (Dollars in millions) 2019 2018 2017");
    }

    @Test
    void prose_after_a_heading_drops_the_column_headers_and_a_heading_after_prose_replaces_the_old_one() {
        SectionTracker t = new SectionTracker();
        t.accept("SELECTED FINANCIAL DATA");
        t.accept("(In millions) 2019 2018");
        t.accept("Revenues 39,117 36,397");
        t.accept("The following discussion should be read together with the financial statements and notes.");
        assertThat(t.current()).isEqualTo("SELECTED FINANCIAL DATA");
        t.accept("Liquidity and Capital Resources");
        assertThat(t.current()).isEqualTo("Liquidity and Capital Resources");
    }

    @Test
    void consecutive_heading_lines_form_one_heading_and_the_path_is_bounded() {
        SectionTracker t = new SectionTracker();
        t.accept("NIKE, INC.");
        t.accept("CONSOLIDATED BALANCE SHEETS");
        assertThat(t.current()).isEqualTo("NIKE, INC. CONSOLIDATED BALANCE SHEETS");
        for (int i = 0; i < 20; i++) {
            t.accept("VERY LONG HEADING LINE NUMBER " + "ABCDEFGHIJ".repeat(3));
        }
        assertThat(t.current().length()).isLessThanOrEqualTo(SectionTracker.MAX_CHARS);
    }
}
