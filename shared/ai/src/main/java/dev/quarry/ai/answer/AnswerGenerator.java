package dev.quarry.ai.answer;

import dev.quarry.model.SearchHit;

import java.util.List;

/** Answers a question from retrieved passages, citing only what the passages say verbatim. */
public interface AnswerGenerator {
    Answer answer(String question, List<SearchHit> passages);
}
