package dev.quarry.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LineKindsTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "Inventories 5,622 5,261",
        "Cash and equivalents $ 4,466 $ 4,249",
        "Accumulated other comprehensive income (loss) 231 (92)",
        "Deferred income taxes — 95,279",
        "Goodwill 154 154",
        "(Dollars in millions) 2019 2018",
        "2019",
        "Interest expense (848) (1,417) (1,600)",
        "Gross margin 44.7 %",
        "Diluted earnings per share $ 6.15 $ 20.14 $ 23.01"})
    void table_rows_are_rows(String line) {
        assertThat(LineKinds.isRow(line)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Revenues grew 11% for fiscal 2019, driven by growth in both brands.",
        "for the fiscal year ended May 31, 2019",
        "compared to fiscal 2018",
        "CONSOLIDATED BALANCE SHEETS",
        "$",
        ""})
    void prose_and_headings_are_not_rows(String line) {
        assertThat(LineKinds.isRow(line)).isFalse();
    }

    @Test
    void column_headers_are_rows_of_years() {
        assertThat(LineKinds.isColumnHeader("(In millions, except per share data) 2019 2018 2017")).isTrue();
        assertThat(LineKinds.isColumnHeader("Year Ended June 30, 2016 2015 2014")).isTrue();
        assertThat(LineKinds.isColumnHeader("Inventories 5,622 5,261")).isFalse();
        assertThat(LineKinds.isColumnHeader("Revenues grew in 2019")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "CONSOLIDATED STATEMENTS OF CASH FLOWS",
        "Consolidated Statements of Cash Flows",
        "ITEM 8. FINANCIAL STATEMENTS AND SUPPLEMENTARY DATA",
        "Item 7. Management's Discussion and Analysis",
        "Note 3 Inventories"})
    void headings_are_headings(String line) {
        assertThat(LineKinds.isHeading(line)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "The following tables present revenues by reportable segment:",
        "First line",
        "Total current assets 16,525 15,134",
        "and other comprehensive income, net of tax,",
        "Years Ended",
        "As of December 31",
        "OK"})
    void prose_rows_and_short_lines_are_not_headings(String line) {
        assertThat(LineKinds.isHeading(line)).isFalse();
    }
}
