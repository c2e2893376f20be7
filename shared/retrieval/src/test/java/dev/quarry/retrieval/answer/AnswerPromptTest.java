package dev.quarry.retrieval.answer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.quarry.retrieval.Hits.pages;
import static org.assertj.core.api.Assertions.assertThat;

class AnswerPromptTest {

    @Test
    void numbers_the_passages_with_their_document_and_pages_and_ends_with_the_question() {
        AnswerPrompt prompt = AnswerPrompt.of(" How long do refunds take? ", List.of(
                pages("c1", "returns.pdf", 3, "Refunds are issued within 14 days."),
                pages("c2", "faq.pdf", 7, "Ask support.", "Refunds go to the original card.")));

        assertThat(prompt.user()).isEqualTo("""
                Passages:
                [1] (returns.pdf, p. 3) Refunds are issued within 14 days.

                [2] (faq.pdf, pp. 7-8) Ask support. Refunds go to the original card.

                Question: How long do refunds take?""");
        assertThat(prompt.system())
                .contains("only", "[n]", "exactly", "I don't know");
    }
}
