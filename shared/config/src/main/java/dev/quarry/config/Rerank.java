package dev.quarry.config;

/** What reads the fused candidates again before the answer ({@code quarry.search.rerank}). */
public enum Rerank {
    /** Keep the fused order. */
    NONE,
    /** The embedding model reads each candidate again in windows of a few sentences or rows. */
    LOCAL,
    /** Amazon Bedrock Rerank, one call per question, paid per call. */
    BEDROCK
}
