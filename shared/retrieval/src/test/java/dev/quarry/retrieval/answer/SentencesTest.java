package dev.quarry.retrieval.answer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SentencesTest {

    @ParameterizedTest
    @ValueSource(strings = {"5.1.1 Add-on packages in R 21 ii", "2.3 Installing packages 14", "Chapter 7 Graphics 112",
        "1. Introduction 1", "5.1.1 Add-on packages in R", "CONSOLIDATED BALANCE SHEETS"})
    void table_of_contents_entries_are_recognised(String line) {
        assertThat(Sentences.isTocEntry(line)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Inventories 5,622 5,261", "Total current assets 16,525 15,134",
        "Packages can be installed with install.packages() from CRAN.", "In 2019 revenues grew 7% to 39,117",
        "2019 was a strong year for the company in every region"})
    void rows_and_sentences_are_not_table_of_contents_entries(String line) {
        assertThat(Sentences.isTocEntry(line)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Inventories 5,622 5,261", "Net income $ 3,033 $ 10,073 $ 11,588"})
    void a_label_with_values_is_a_row(String line) {
        assertThat(Sentences.isRow(line)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"(In millions, except percentages) 2016 2015 2014", "Year Ended May 31, 2019 2018 2017"})
    void a_statements_column_headers_are_not_a_row_that_answers(String line) {
        assertThat(Sentences.isRow(line)).isFalse();
    }
}
