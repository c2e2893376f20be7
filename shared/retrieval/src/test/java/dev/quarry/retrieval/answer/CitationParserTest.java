package dev.quarry.retrieval.answer;

import dev.quarry.model.Citation;
import dev.quarry.model.SearchHit;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.quarry.retrieval.Hits.pages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

class CitationParserTest {

    private final SearchHit leave = pages("handbook-3", "employee-handbook.pdf", 4,
            "Section 3 covers time away from work.",
            "Full-time employees accrue 25 days of paid annual leave per calendar year.");
    private final SearchHit remote = pages("handbook-5", "employee-handbook.pdf", 9,
            "The company reimburses internet costs of up to 40 EUR per month.");
    private final List<SearchHit> passages = List.of(leave, remote);

    private final CitationParser parser = new CitationParser();

    @Test
    void keeps_quotes_given_after_markers_and_drops_invented_ones() {
        String answer = """
                Full-time staff get 25 days [1] "Full-time employees accrue 25 days of paid annual leave". \
                Internet costs are covered [2]: "reimburses internet costs of up to 40 EUR per month". \
                Meals are free [2] "meals are always free".""";

        assertThat(parser.parse(answer, passages))
                .extracting(Citation::chunkId, Citation::page, Citation::quote)
                .containsExactly(
                        tuple("handbook-3", 5, "Full-time employees accrue 25 days of paid annual leave"),
                        tuple("handbook-5", 9, "reimburses internet costs of up to 40 EUR per month"));
    }

    @Test
    void without_a_quote_uses_the_claim_sentence_found_verbatim_in_the_passage() {
        String answer = "Full-time employees accrue 25 days of paid annual leave per calendar year. [1] "
                + "Everyone also gets a bonus [2].";

        assertThat(parser.parse(answer, passages))
                .extracting(Citation::chunkId, Citation::quote)
                .containsExactly(tuple("handbook-3",
                        "Full-time employees accrue 25 days of paid annual leave per calendar year."));
    }

    @Test
    void reads_a_quote_inside_the_claim_and_markers_naming_several_passages() {
        String answer = "The handbook says \"reimburses internet costs\" [1, 2] and nothing about phones [7].";

        assertThat(parser.parse(answer, passages))
                .extracting(Citation::chunkId, Citation::quote)
                .containsExactly(tuple("handbook-5", "reimburses internet costs"));
    }
}
