package dev.quarry.retrieval.fusion;

/** How the BM25 and k-NN result lists are merged into one ranking. */
public enum FusionMethod {

    /** Reciprocal rank fusion: only ranks count, so the two score scales never meet. */
    RRF,

    /** Min-max normalize each list's scores to [0, 1], then take a weighted sum. */
    WEIGHTED
}
