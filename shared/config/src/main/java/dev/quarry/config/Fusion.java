package dev.quarry.config;

/** How BM25 and k-NN rankings are combined ({@code quarry.search.fusion}). */
public enum Fusion {
    /** Reciprocal rank fusion: weight / (k + rank). */
    RRF,
    /** Min-max normalized scores, weighted. */
    WEIGHTED
}
