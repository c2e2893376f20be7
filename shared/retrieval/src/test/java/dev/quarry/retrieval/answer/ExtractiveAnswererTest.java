package dev.quarry.retrieval.answer;

import dev.quarry.model.Citation;
import dev.quarry.model.SearchHit;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.quarry.retrieval.Hits.pages;
import static org.assertj.core.api.Assertions.assertThat;

class ExtractiveAnswererTest {

    private static final String LEAVE_SENTENCE =
            "Full-time employees accrue 25 days of paid annual leave per calendar year.";

    private final SearchHit leave = pages("handbook-3", "employee-handbook.pdf", 4,
            "Section 3 covers time away from work, including public holidays.",
            LEAVE_SENTENCE + " Requests must be submitted through the HR portal at least two weeks in advance."
                    + " Up to five unused days may be carried over to the next year.");
    private final SearchHit remote = pages("handbook-5", "employee-handbook.pdf", 9,
            "Employees may work from home up to three days per week with their manager's approval."
                    + " The company reimburses internet costs of up to 40 EUR per month.");
    private final SearchHit expenses = pages("travel-1", "travel-policy.pdf", 2,
            "Travel expenses are reimbursed within 30 days after the receipt is uploaded."
                    + " Meals during business travel are covered up to 60 EUR per day.");
    private final List<SearchHit> hits = List.of(remote, leave, expenses);

    private final ExtractiveAnswerer answerer = new ExtractiveAnswerer();

    @Test
    void answers_with_the_sentence_that_contains_the_answer_and_cites_its_page() {
        ExtractiveAnswer answer = answerer.answer("How many days of annual leave do full-time employees get?", hits);

        assertThat(answer.found()).isTrue();
        assertThat(answer.answer()).startsWith(LEAVE_SENTENCE + " [1]");
        assertThat(answer.citations().getFirst())
                .isEqualTo(new Citation("doc-employee-handbook.pdf", "employee-handbook.pdf", 5,
                        LEAVE_SENTENCE, "handbook-3"));
    }

    @Test
    void every_sentence_is_verbatim_from_its_hit_and_carries_the_marker_of_its_citation() {
        ExtractiveAnswer answer = answerer.answer("How are travel expenses and meals reimbursed?", hits);

        assertThat(answer.found()).isTrue();
        assertThat(answer.citations()).hasSizeBetween(1, 3);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < answer.citations().size(); i++) {
            Citation citation = answer.citations().get(i);
            SearchHit source = hits.stream().filter(h -> h.chunkId().equals(citation.chunkId())).findFirst().orElseThrow();
            assertThat(source.text()).contains(citation.quote());
            expected.append(i == 0 ? "" : " ").append(citation.quote()).append(" [").append(i + 1).append(']');
        }
        assertThat(answer.answer()).isEqualTo(expected.toString());
        assertThat(answer.citations().getFirst().quote()).contains("Travel expenses are reimbursed");
    }

    @Test
    void skips_question_headings_and_table_of_contents_lines_for_the_prose_that_answers() {
        String text = "5.1 Add-on packages in R . . . . . . . . . . . . 21\n\n"
                + "5.2 How can add-on packages be installed?\n\n"
                + "Add-on packages are installed with the function install.packages() from within R.";
        SearchHit hit = dev.quarry.retrieval.Hits.hit("faq", 1.0, text);

        ExtractiveAnswer answer = answerer.answer("How can I install add-on packages?", List.of(hit));

        assertThat(answer.found()).isTrue();
        assertThat(answer.citations()).extracting(Citation::quote)
                .containsExactly("Add-on packages are installed with the function install.packages() from within R.");
    }

    @Test
    void says_not_found_for_an_unrelated_question() {
        ExtractiveAnswer answer = answerer.answer("Who won the football World Cup in 1998?", hits);

        assertThat(answer).isEqualTo(new ExtractiveAnswer(ExtractiveAnswer.NOT_FOUND, List.of(), false));
        assertThat(answer.answer()).isEqualTo("I could not find this in your documents.");
    }

    @Test
    void says_not_found_when_passages_share_only_a_word_or_two_with_a_longer_question() {
        SearchHit fontTable = pages("hyperref-612", "hyperref.pdf", 612,
                "The table maps U+00D8 LATIN CAPITAL LETTER O WITH STROKE to the command Oslash.");
        SearchHit hello = pages("octave-210", "octave.pdf", 210,
                "As an example, the following function implements a variant of the classic Hello, World program.");

        assertThat(answerer.answer("What is the capital of France?", List.of(fontTable)).found()).isFalse();
        assertThat(answerer.answer("Who won the football world cup in 2014?", List.of(hello)).found()).isFalse();
        assertThat(answerer.answer("Which letter does the Oslash command produce?", List.of(fontTable)).found())
                .as("the same passage answers a question it covers").isTrue();
    }

    @Test
    void says_not_found_without_hits_or_without_meaningful_question_words() {
        assertThat(answerer.answer("How many days of annual leave?", List.of()).found()).isFalse();
        assertThat(answerer.answer("What is it?", hits).found()).isFalse();
    }

    @Test
    void does_not_repeat_a_sentence_that_overlapping_chunks_share() {
        SearchHit overlapping = pages("handbook-4", "employee-handbook.pdf", 5,
                LEAVE_SENTENCE + " Sick leave is not deducted from annual leave.");

        ExtractiveAnswer answer = answerer.answer("How many days of annual leave do full-time employees get?",
                List.of(leave, overlapping));

        assertThat(answer.citations()).extracting(Citation::quote).doesNotHaveDuplicates();
        assertThat(answer.citations().getFirst().chunkId()).isEqualTo("handbook-3");
    }

    // --- by meaning: a fake Relevance stands in for the embedding model (it is tested in shared/ai) ---

    private static final String STATEMENT = "CONSOLIDATED BALANCE SHEETS\n(Dollars in millions) 2019 2018\n"
            + "Cash and equivalents $ 4,466 $ 4,249\nInventories 5,622 5,261\nTotal current assets 16,525 15,134";

    private static SearchHit statement() {
        SearchHit h = pages("nike-54", "NIKE_2019_10K.pdf", 54, STATEMENT);
        return new SearchHit(h.chunkId(), h.documentId(), h.name(), h.pageStart(), h.pageEnd(), h.text(), h.spans(),
                h.score(), "CONSOLIDATED BALANCE SHEETS | (Dollars in millions) 2019 2018");
    }

    /** Similarity 0.9 for sentences containing {@code close}, 0.3 for the others. */
    private static Relevance closeTo(String close) {
        return (question, sentences) -> sentences.stream().mapToDouble(s -> s.contains(close) ? 0.9 : 0.3).toArray();
    }

    @Test
    void a_question_about_a_figure_is_answered_by_the_table_row_with_its_statement_and_columns() {
        ExtractiveAnswerer byMeaning = new ExtractiveAnswerer(new CitationVerifier(), closeTo("Inventories"),
                ExtractiveAnswerer.DEFAULT_MIN_SIMILARITY, 5, 3);

        ExtractiveAnswer answer = byMeaning.answer("What is the year end FY2019 total amount of inventories for Nike?",
                List.of(statement(), remote));

        assertThat(answer.found()).isTrue();
        assertThat(answer.citations()).hasSize(1);
        assertThat(answer.citations().getFirst().quote()).isEqualTo("Inventories 5,622 5,261");
        assertThat(answer.citations().getFirst().page()).isEqualTo(54);
        assertThat(answer.answer())
                .isEqualTo("Inventories 5,622 5,261 (CONSOLIDATED BALANCE SHEETS | (Dollars in millions) 2019 2018) [1]");
    }

    @Test
    void meaning_finds_the_answer_that_shares_no_word_with_the_question() {
        ExtractiveAnswerer byMeaning = new ExtractiveAnswerer(new CitationVerifier(), closeTo("work from home"),
                ExtractiveAnswerer.DEFAULT_MIN_SIMILARITY, 5, 3);

        ExtractiveAnswer answer = byMeaning.answer("Can staff telecommute?", hits);

        assertThat(answer.found()).isTrue();
        assertThat(answer.citations().getFirst().quote()).startsWith("Employees may work from home");
    }

    @Test
    void nothing_close_in_meaning_is_not_found_even_when_words_are_shared() {
        ExtractiveAnswerer byMeaning = new ExtractiveAnswerer(new CitationVerifier(), closeTo("no sentence has this"),
                ExtractiveAnswerer.DEFAULT_MIN_SIMILARITY, 5, 3);

        ExtractiveAnswer answer = byMeaning.answer("How many days of annual leave do full-time employees get?", hits);

        assertThat(answer.found()).isFalse();
        assertThat(answer.citations()).isEmpty();
        assertThat(answer.answer()).isEqualTo(ExtractiveAnswer.NOT_FOUND);
    }
}
