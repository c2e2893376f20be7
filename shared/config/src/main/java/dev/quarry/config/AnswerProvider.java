package dev.quarry.config;

/** What writes the answer ({@code quarry.answer.provider}); written in lower case in configuration. */
public enum AnswerProvider {
    /** No model: the answer quotes the passages' best sentences. */
    EXTRACTIVE,
    /** A chat model on Amazon Bedrock (Converse), in the function's region. */
    BEDROCK,
    /** Any OpenAI-compatible chat endpoint ({@code quarry.answer.endpoint}). */
    OPENAI;

    /** Whether a chat model writes the answer (and may cost money per token). */
    public boolean usesModel() {
        return this != EXTRACTIVE;
    }
}
