package dev.quarry.ai.answer;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.quarry.core.port.ModelUsage;
import dev.quarry.model.SearchHit;
import dev.quarry.retrieval.answer.AnswerPrompt;
import dev.quarry.retrieval.answer.CitationParser;
import dev.quarry.retrieval.answer.ExtractiveAnswer;
import dev.quarry.retrieval.answer.Turn;
import dev.quarry.retrieval.answer.GroundedAnswer;

import software.amazon.awssdk.core.exception.SdkServiceException;

import java.util.ArrayList;
import java.util.List;

/**
 * Answers with a langchain4j {@link ChatModel} (Bedrock Converse or an OpenAI-compatible endpoint).
 * Citations the model gives are kept only when their quote is verbatim in the cited passage, and
 * claims left without a kept citation are cut from the answer: what reaches the user is only what
 * the passages back.
 */
public final class ChatAnswerGenerator implements AnswerGenerator {
    static final String WITHHELD = "The model's answer had no citation that could be verified against the passages, so it was withheld.";
    static final String NO_ANSWER = "The model found no answer in the passages.";

    private final ChatModel model;
    private final int passages;
    private final CitationParser parser = new CitationParser();

    public ChatAnswerGenerator(ChatModel model, int passages) {
        this.model = model;
        this.passages = passages;
    }

    @Override
    public Answer answer(String question, List<SearchHit> hits) {
        return answer(question, question, hits, List.of());
    }

    /** The earlier turns go to the model as the conversation's previous messages, before the passages. */
    @Override
    public Answer answer(String question, String searchedFor, List<SearchHit> hits, List<Turn> earlier) {
        if (hits.isEmpty()) {
            return new Answer(ExtractiveAnswer.NOT_FOUND, "llm", List.of(), false, null);
        }
        List<SearchHit> top = hits.subList(0, Math.min(passages, hits.size()));
        AnswerPrompt prompt = AnswerPrompt.of(question, top);
        String text;
        try {
            List<ChatMessage> messages = new ArrayList<>();
            messages.add(SystemMessage.from(prompt.system()));
            for (Turn turn : earlier) {
                messages.add(UserMessage.from(turn.question()));
                messages.add(AiMessage.from(turn.answer()));
            }
            messages.add(UserMessage.from(prompt.user()));
            ChatResponse response = model.chat(ChatRequest.builder().messages(messages).build());
            TokenUsage usage = response.tokenUsage();
            if (usage != null) {
                ModelUsage.answer(orZero(usage.inputTokenCount()), orZero(usage.outputTokenCount()));
            }
            text = response.aiMessage().text();
        } catch (RuntimeException e) {
            if (permanent(e)) {
                throw new AnswerModelException("The chat model rejected the request: " + e.getMessage()
                        + " Check quarry.answer.model-id, quarry.answer.endpoint and quarry.answer.api-key.", e);
            }
            throw new AnswerModelUnavailableException("The chat model failed: " + e.getMessage(), e);
        }
        GroundedAnswer grounded = parser.ground(text, top);
        if (grounded.citations().isEmpty()) {
            boolean declined = text != null && text.strip().equals(AnswerPrompt.NO_ANSWER);
            return new Answer(ExtractiveAnswer.NOT_FOUND, "llm", List.of(), false,
                    declined ? NO_ANSWER : WITHHELD, declined ? 0 : grounded.removedClaims());
        }
        int removed = grounded.removedClaims();
        return new Answer(grounded.text(), "llm", grounded.citations(), true, removed == 0 ? null : removedNote(removed), removed);
    }

    /**
     * A failure that the same request will meet again: langchain4j's non-retriable errors (401, 403, 404,
     * 400 from OpenAI-compatible endpoints) and AWS service errors with a 4xx status other than 408 and 429.
     */
    static boolean permanent(Throwable error) {
        for (Throwable c = error; c != null; c = c.getCause()) {
            if (c instanceof NonRetriableException) {
                return true;
            }
            if (c instanceof SdkServiceException aws) {
                int status = aws.statusCode();
                return status >= 400 && status < 500 && status != 408 && status != 429;
            }
        }
        return false;
    }

    private static String removedNote(int removed) {
        return removed == 1
                ? "1 claim of the model's answer was removed because its citation could not be verified against the passages."
                : removed + " claims of the model's answer were removed because their citations could not be verified against the passages.";
    }

    private static long orZero(Integer tokens) {
        return tokens == null ? 0 : tokens;
    }
}
