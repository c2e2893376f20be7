package dev.quarry.ai.answer;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.quarry.core.port.RetryableException;
import dev.quarry.model.Citation;
import dev.quarry.model.SearchHit;
import dev.quarry.retrieval.answer.AnswerPrompt;
import dev.quarry.retrieval.answer.CitationParser;
import dev.quarry.retrieval.answer.ExtractiveAnswer;

import java.util.List;

/**
 * Answers with a langchain4j {@link ChatModel} (Bedrock Converse or an OpenAI-compatible endpoint).
 * Citations the model gives are kept only when their quote is verbatim in the cited passage.
 */
public final class ChatAnswerGenerator implements AnswerGenerator {
    private final ChatModel model;
    private final int passages;

    public ChatAnswerGenerator(ChatModel model, int passages) {
        this.model = model;
        this.passages = passages;
    }

    @Override
    public Answer answer(String question, List<SearchHit> hits) {
        if (hits.isEmpty()) {
            return new Answer(ExtractiveAnswer.NOT_FOUND, "llm", List.of(), false, null);
        }
        List<SearchHit> top = hits.subList(0, Math.min(passages, hits.size()));
        AnswerPrompt prompt = AnswerPrompt.of(question, top);
        String text;
        try {
            text = model.chat(ChatRequest.builder()
                    .messages(SystemMessage.from(prompt.system()), UserMessage.from(prompt.user()))
                    .build()).aiMessage().text();
        } catch (RuntimeException e) {
            throw new RetryableException("The chat model failed: " + e.getMessage(), e);
        }
        List<Citation> citations = new CitationParser().parse(text, top);
        boolean found = !citations.isEmpty();
        return new Answer(found ? text : ExtractiveAnswer.NOT_FOUND, "llm", citations, found,
                found ? null : "The model's answer had no citation that could be verified against the passages, so it was withheld.");
    }
}
