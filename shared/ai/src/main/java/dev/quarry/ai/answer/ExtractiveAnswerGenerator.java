package dev.quarry.ai.answer;

import dev.quarry.model.SearchHit;
import dev.quarry.retrieval.answer.ExtractiveAnswer;
import dev.quarry.retrieval.answer.ExtractiveAnswerer;

import java.util.List;

/** The default answerer: no generative model, the answering sentences of the top passages, each cited. */
public final class ExtractiveAnswerGenerator implements AnswerGenerator {
    static final String NOTE = "Extractive answer: sentences quoted from your documents; no generative model is configured.";
    private final ExtractiveAnswerer answerer;

    public ExtractiveAnswerGenerator(int passages) {
        this.answerer = new ExtractiveAnswerer(new dev.quarry.retrieval.answer.CitationVerifier(), passages, 3);
    }

    @Override
    public Answer answer(String question, List<SearchHit> passages) {
        ExtractiveAnswer a = answerer.answer(question, passages);
        return new Answer(a.answer(), "extractive", a.citations(), a.found(), NOTE);
    }
}
