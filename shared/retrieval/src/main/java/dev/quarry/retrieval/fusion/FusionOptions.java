package dev.quarry.retrieval.fusion;

import java.util.Objects;

/**
 * How to fuse the BM25 and k-NN lists.
 *
 * @param method     {@link FusionMethod#RRF} or {@link FusionMethod#WEIGHTED}
 * @param rrfK       the RRF smoothing constant {@code k} in {@code w / (k + rank)}; larger values
 *                   flatten the difference between the top ranks (only used by RRF)
 * @param bm25Weight weight of the lexical list, applied by both methods
 * @param knnWeight  weight of the vector list, applied by both methods
 */
public record FusionOptions(FusionMethod method, int rrfK, double bm25Weight, double knnWeight) {

    public FusionOptions {
        Objects.requireNonNull(method, "method");
        if (rrfK < 0) {
            throw new IllegalArgumentException("rrfK must be >= 0, was " + rrfK);
        }
        requireWeight("bm25Weight", bm25Weight);
        requireWeight("knnWeight", knnWeight);
        if (bm25Weight == 0 && knnWeight == 0) {
            throw new IllegalArgumentException("At least one of bm25Weight and knnWeight must be > 0");
        }
    }

    /**
     * RRF with {@code k = 60} and equal weights.
     *
     * <p>RRF is the default because BM25 scores are unbounded and depend on the corpus and the
     * query length, while k-NN scores are similarities on another scale entirely: any mix of raw
     * scores needs calibration we do not have, and min-max normalization lets one outlier squash a
     * whole list. Ranks need no calibration. {@code k = 60} is the value of Cormack, Clarke and
     * Büttcher (SIGIR 2009), which has held up across benchmarks and is what OpenSearch and
     * Elasticsearch use for their own RRF. The weights are equal because nothing labelled tells us
     * yet which retriever to trust more on users' PDFs; the BEIR evaluation is where to tune them.
     */
    public static FusionOptions defaults() {
        return new FusionOptions(FusionMethod.RRF, 60, 0.5, 0.5);
    }

    private static void requireWeight(String name, double weight) {
        if (!Double.isFinite(weight) || weight < 0) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, was " + weight);
        }
    }
}
