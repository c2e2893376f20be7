package dev.quarry.core.chunk;

/** Test stand-in for a WordPiece tokenizer: about 1.3 tokens per whitespace-separated word. */
public final class WhitespaceTokenCounter implements TokenCounter {
    @Override
    public int count(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return 0;
        }
        int words = trimmed.split("\\s+").length;
        return (int) Math.ceil(words * 1.3);
    }
}
