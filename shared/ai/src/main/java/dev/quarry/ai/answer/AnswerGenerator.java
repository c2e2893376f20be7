package dev.quarry.ai.answer;

import dev.quarry.model.SearchHit;
import dev.quarry.retrieval.answer.Turn;

import java.util.List;

/** Answers a question from retrieved passages, citing only what the passages say verbatim. */
public interface AnswerGenerator {
    Answer answer(String question, List<SearchHit> passages);

    /**
     * A turn of a conversation: {@code earlier} holds the previous turns (oldest first) and
     * {@code searchedFor} what the question was resolved to for retrieval. Without a model to read the
     * conversation, the resolved question is answered.
     */
    default Answer answer(String question, String searchedFor, List<SearchHit> passages, List<Turn> earlier) {
        return answer(searchedFor, passages);
    }
}
