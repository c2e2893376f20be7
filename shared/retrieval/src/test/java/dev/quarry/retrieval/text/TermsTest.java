package dev.quarry.retrieval.text;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TermsTest {

    @Test
    void content_terms_drop_punctuation_case_and_stopwords() {
        assertThat(Terms.contentTerms("What is the company's refund policy, exactly?"))
                .containsExactly("company", "refund", "policy", "exactly");
    }

    @Test
    void light_stemming_lets_word_forms_meet() {
        assertThat(Terms.contentTermSet("refund refunds refunded refunding")).containsExactly("refund");
        assertThat(Terms.contentTermSet("policy policies")).containsExactly("policy");
        assertThat(Terms.contentTermSet("issue issues issued")).hasSize(1);
        assertThat(Terms.contentTermSet("index indexes indexed indexing")).containsExactly("index");
        assertThat(Terms.contentTermSet("process processes")).containsExactly("process");
    }

    @Test
    void keeps_numbers() {
        assertThat(Terms.contentTerms("Up to 40 EUR in 2024")).containsExactly("40", "eur", "2024");
    }
}
