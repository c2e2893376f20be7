package dev.quarry.core.chunk;

/**
 * How {@link Chunker} sizes chunks, in tokens of the embedding model.
 *
 * @param maxTokens     largest chunk; at most 510 so a chunk plus [CLS]/[SEP] fits a 512-token model
 * @param overlapTokens how much trailing text of a chunk is repeated at the start of the next one;
 *                      below {@code maxTokens / 2} so every chunk is mostly new text
 */
public record ChunkingOptions(int maxTokens, int overlapTokens) {
    public static final int MODEL_MAX_TOKENS = 510;

    public ChunkingOptions {
        if (maxTokens <= 0 || maxTokens > MODEL_MAX_TOKENS) {
            throw new IllegalArgumentException("maxTokens must be in 1.." + MODEL_MAX_TOKENS + ", was " + maxTokens);
        }
        if (overlapTokens < 0 || overlapTokens * 2 >= maxTokens) {
            throw new IllegalArgumentException("overlapTokens must be in 0..(maxTokens / 2), exclusive; was "
                    + overlapTokens + " with maxTokens " + maxTokens);
        }
    }

    /** 320 tokens per chunk, 48 of them overlapping. */
    public static ChunkingOptions defaults() {
        return new ChunkingOptions(320, 48);
    }
}
