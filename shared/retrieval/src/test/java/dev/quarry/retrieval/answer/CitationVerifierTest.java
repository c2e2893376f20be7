package dev.quarry.retrieval.answer;

import dev.quarry.model.Citation;
import dev.quarry.model.SearchHit;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.quarry.retrieval.Hits.pages;
import static org.assertj.core.api.Assertions.assertThat;

class CitationVerifierTest {

    private static final String PAGE_7 = "Refunds are issued within 14 days of an approved request.";
    private static final String PAGE_8 = "Store credit never expires and can be used in any shop.";

    private final CitationVerifier verifier = new CitationVerifier();
    private final SearchHit hit = pages("chunk-1", "returns-policy.pdf", 7, PAGE_7, PAGE_8);

    @Test
    void keeps_a_verbatim_quote_from_the_second_span_with_that_spans_page() {
        assertThat(verifier.verify(hit, "Store credit never expires"))
                .contains(new Citation("doc-returns-policy.pdf", "returns-policy.pdf", 8,
                        "Store credit never expires", "chunk-1"));
    }

    @Test
    void drops_a_paraphrased_quote() {
        assertThat(verifier.verify(hit, "Store credit does not expire")).isEmpty();
        assertThat(verifier.verify(hit, "store credit never expires")).isEmpty();
        assertThat(verifier.verify(hit, "Refunds are issued within  14 days")).isEmpty();
    }

    @Test
    void trims_the_quote_and_nothing_else() {
        assertThat(verifier.verify(hit, "  Refunds are issued within 14 days\n"))
                .get().extracting(Citation::quote, Citation::page)
                .containsExactly("Refunds are issued within 14 days", 7);
    }

    @Test
    void maps_offsets_at_the_span_boundaries_to_the_right_page() {
        // Last character of page 7 is its final "."; the next one is the joining space.
        assertThat(verifier.verify(hit, "request.").map(Citation::page)).contains(7);
        assertThat(verifier.verify(hit, "request. Store").map(Citation::page)).contains(7);
        assertThat(verifier.verify(hit, "Store").map(Citation::page)).contains(8);
    }

    @Test
    void a_quote_starting_on_the_last_character_of_a_middle_span_is_on_that_spans_page() {
        SearchHit threePages = pages("chunk-2", "report.pdf", 10, "Intro text.", "See table 4", "Totals follow.");

        assertThat(verifier.verify(threePages, "4 Totals").map(Citation::page)).contains(11);
        assertThat(verifier.verify(threePages, "Totals").map(Citation::page)).contains(12);
    }

    @Test
    void drops_a_quote_without_any_letter_or_digit() {
        assertThat(verifier.verify(hit, ".")).isEmpty();
        assertThat(verifier.verify(hit, "   ")).isEmpty();
    }

    @Test
    void verify_all_rechecks_claimed_citations_and_recomputes_their_page() {
        List<Citation> claimed = List.of(
                new Citation("x", "x", 1, "can be used in any shop", "chunk-1"),
                new Citation("x", "x", 1, "can be used anywhere", "chunk-1"),
                new Citation("x", "x", 1, "Refunds are issued", "chunk-unknown"));

        assertThat(verifier.verifyAll(claimed, List.of(hit)))
                .extracting(Citation::quote, Citation::page)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("can be used in any shop", 8));
    }
}
