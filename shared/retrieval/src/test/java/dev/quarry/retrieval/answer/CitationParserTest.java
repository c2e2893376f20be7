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

    @Test
    void keeps_only_the_claims_with_a_verified_citation_and_counts_the_others() {
        String answer = """
                Full-time staff get 25 days [1] "Full-time employees accrue 25 days of paid annual leave". \
                Meals are free [2] "meals are always free". Everyone also gets a yearly bonus.""";

        GroundedAnswer grounded = parser.ground(answer, passages);

        assertThat(grounded.text()).isEqualTo(
                "Full-time staff get 25 days [1] \"Full-time employees accrue 25 days of paid annual leave\".");
        assertThat(grounded.claims()).extracting(Claim::text, Claim::verified).containsExactly(
                tuple("Full-time staff get 25 days [1] \"Full-time employees accrue 25 days of paid annual leave\".", true),
                tuple("Meals are free [2] \"meals are always free\".", false),
                tuple("Everyone also gets a yearly bonus.", false));
        assertThat(grounded.removedClaims()).isEqualTo(2);
        assertThat(grounded.citations()).extracting(Citation::chunkId).containsExactly("handbook-3");
    }

    @Test
    void a_sentence_without_its_own_marker_is_removed_even_before_a_cited_one() {
        String answer = "Meals are free for all staff. Full-time employees accrue 25 days of paid annual leave per calendar year [1].";

        GroundedAnswer grounded = parser.ground(answer, passages);

        assertThat(grounded.text())
                .isEqualTo("Full-time employees accrue 25 days of paid annual leave per calendar year [1].")
                .doesNotContain("Meals");
        assertThat(grounded.removedClaims()).isEqualTo(1);
        assertThat(grounded.citations()).extracting(Citation::quote)
                .containsExactly("Full-time employees accrue 25 days of paid annual leave per calendar year");
    }

    @Test
    void a_marker_after_the_full_stop_belongs_to_the_sentence_before_it() {
        String answer = "Full-time employees accrue 25 days of paid annual leave per calendar year. [1] "
                + "Everyone also gets a bonus [2].";

        GroundedAnswer grounded = parser.ground(answer, passages);

        assertThat(grounded.text()).isEqualTo("Full-time employees accrue 25 days of paid annual leave per calendar year. [1]");
        assertThat(grounded.claims()).extracting(Claim::text)
                .containsExactly("Full-time employees accrue 25 days of paid annual leave per calendar year. [1]",
                        "Everyone also gets a bonus [2].");
    }

    @Test
    void removes_an_unverified_list_item_and_keeps_the_lines_introducing_and_following_it() {
        String answer = """
                The handbook says:
                - Full-time staff get 25 days [1] "Full-time employees accrue 25 days"
                - Meals are free [2] "meals are always free"
                - Internet is paid up to 40 EUR a month [2] "reimburses internet costs of up to 40 EUR per month"
                """;

        GroundedAnswer grounded = parser.ground(answer, passages);

        assertThat(grounded.text()).isEqualTo("""
                The handbook says:
                - Full-time staff get 25 days [1] "Full-time employees accrue 25 days"
                - Internet is paid up to 40 EUR a month [2] "reimburses internet costs of up to 40 EUR per month\"""");
        assertThat(grounded.removedClaims()).isEqualTo(1);
        assertThat(grounded.claims()).hasSize(3);
    }

    @Test
    void drops_an_introducing_line_when_nothing_it_introduces_is_kept() {
        GroundedAnswer grounded = parser.ground("The handbook says:\n- Meals are free [2] \"meals are always free\"", passages);

        assertThat(grounded.text()).isEmpty();
        assertThat(grounded.citations()).isEmpty();
        assertThat(grounded.removedClaims()).isEqualTo(1);
    }

    @Test
    void a_full_stop_inside_a_quote_does_not_split_the_claim() {
        String answer = "The handbook says \"Section 3 covers time away from work. Full-time employees accrue\" [1].";

        GroundedAnswer grounded = parser.ground(answer, passages);

        assertThat(grounded.text()).isEqualTo(answer);
        assertThat(grounded.removedClaims()).isZero();
        assertThat(grounded.citations()).extracting(Citation::page, Citation::quote)
                .containsExactly(tuple(4, "Section 3 covers time away from work. Full-time employees accrue"));
    }

    @Test
    void an_answer_without_markers_keeps_nothing() {
        GroundedAnswer grounded = parser.ground("I don't know based on your documents.", passages);

        assertThat(grounded.text()).isEmpty();
        assertThat(grounded.citations()).isEmpty();
        assertThat(grounded.claims()).singleElement().extracting(Claim::verified).isEqualTo(false);
    }
}
