package dev.quarry.testsupport;

import dev.quarry.core.port.Embedder;
import dev.quarry.core.port.ModelUsage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic embedder without a model: each word is hashed into one of {@code dimension}
 * buckets (feature hashing) and the counts are L2-normalized. Texts that share words get similar
 * vectors, the same text always gets the same vector, and nothing is loaded.
 */
public final class FakeEmbedder implements Embedder {
    public static final String MODEL_ID = "fake-hashing-384";
    public static final int DIMENSION = 384;

    private final String modelId;
    private final int dimension;
    private final List<Integer> passageBatches = new ArrayList<>();
    private final java.util.ArrayDeque<RuntimeException> failures = new java.util.ArrayDeque<>();
    private int passageCalls;

    public FakeEmbedder() {
        this(MODEL_ID, DIMENSION);
    }

    /** An embedder that claims to be {@code modelId}, e.g. to match the configured model of the index function. */
    public FakeEmbedder(String modelId, int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be positive, was " + dimension);
        }
        this.modelId = modelId;
        this.dimension = dimension;
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public List<float[]> embedPassages(List<String> texts) {
        RuntimeException failure;
        synchronized (passageBatches) {
            passageCalls++;
            failure = failures.poll();
            if (failure == null) {
                passageBatches.add(texts.size());
            }
        }
        if (failure != null) {
            throw failure;
        }
        // Like a model that reports its usage: one token per word.
        ModelUsage.embedding(texts.stream().mapToLong(t -> t.isBlank() ? 0 : t.strip().split("\\s+").length).sum());
        return texts.stream().map(this::embed).toList();
    }

    /** The next {@link #embedPassages} calls throw these, one each, in order (a throttled or refusing model). */
    public void failNext(RuntimeException... next) {
        synchronized (passageBatches) {
            failures.addAll(List.of(next));
        }
    }

    /** How many times {@link #embedPassages} was called, failed calls included. */
    public int passageCalls() {
        synchronized (passageBatches) {
            return passageCalls;
        }
    }

    @Override
    public float[] embedQuery(String text) {
        return embed(text);
    }

    /** The sizes of the {@link #embedPassages} calls so far, in order. */
    public List<Integer> passageBatches() {
        synchronized (passageBatches) {
            return List.copyOf(passageBatches);
        }
    }

    public void reset() {
        synchronized (passageBatches) {
            passageBatches.clear();
            failures.clear();
            passageCalls = 0;
        }
    }

    public float[] embed(String text) {
        float[] v = new float[dimension];
        List<String> words = InMemoryChunkIndex.words(text);
        if (words.isEmpty()) {
            v[0] = 1; // a unit vector even for no text: cosine similarity is undefined for zero vectors
            return v;
        }
        for (String word : words) {
            long h = fnv1a(word);
            v[(int) Long.remainderUnsigned(h, dimension)] += (h >>> 63) == 0 ? 1 : -1;
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        if (norm == 0) {
            v[0] = 1; // every word cancelled out
            return v;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimension; i++) {
            v[i] *= scale;
        }
        return v;
    }

    private static long fnv1a(String word) {
        long h = 0xcbf29ce484222325L;
        for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
