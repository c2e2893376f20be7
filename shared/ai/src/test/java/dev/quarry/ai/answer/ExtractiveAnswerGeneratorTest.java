package dev.quarry.ai.answer;

import dev.quarry.model.Citation;
import dev.quarry.model.SearchHit;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExtractiveAnswerGeneratorTest {
    private static final String LABOUR = "Labour is covered for six months after the repair.";

    private final SearchHit warranty = Passages.chunk("c-warranty", "0123456789abcdef01234567", "warranty.pdf", 3,
            "The warranty covers parts for two years from the date of purchase.", LABOUR);
    private final SearchHit returns = Passages.chunk("c-returns", "89abcdef0123456789abcdef", "returns.pdf", 7,
            "Unused items may be returned within 30 days for a full refund.");

    private final ExtractiveAnswerGenerator generator = new ExtractiveAnswerGenerator(5);

    @Test
    void answers_extractively_with_a_note_saying_so_and_cites_the_sentence_on_its_page() {
        Answer answer = generator.answer("How long is labour covered after a repair?", List.of(returns, warranty));

        assertThat(answer.mode()).isEqualTo("extractive");
        assertThat(answer.note()).isNotBlank().containsIgnoringCase("extractive");
        assertThat(answer.found()).isTrue();
        assertThat(answer.text()).startsWith(LABOUR + " [1]");
        assertThat(answer.citations().getFirst())
                .isEqualTo(new Citation("0123456789abcdef01234567", "warranty.pdf", 4, LABOUR, "c-warranty"));
    }

    @Test
    void every_citation_quotes_its_passage_verbatim() {
        List<SearchHit> hits = List.of(warranty, returns);
        Answer answer = generator.answer("What does the warranty cover and can items be returned for a refund?", hits);

        assertThat(answer.citations()).isNotEmpty().allSatisfy(c -> assertThat(hits)
                .filteredOn(h -> h.chunkId().equals(c.chunkId())).singleElement()
                .satisfies(h -> assertThat(h.text()).contains(c.quote())));
    }

    @Test
    void says_it_found_nothing_when_there_are_no_passages_and_still_carries_the_note() {
        Answer answer = generator.answer("How long is labour covered?", List.of());

        assertThat(answer.found()).isFalse();
        assertThat(answer.citations()).isEmpty();
        assertThat(answer.mode()).isEqualTo("extractive");
        assertThat(answer.note()).isNotBlank();
    }
}
