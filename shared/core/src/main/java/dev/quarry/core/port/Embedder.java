package dev.quarry.core.port;

import java.util.List;

/** Turns text into vectors. Passages and queries may be embedded differently (query instructions). */
public interface Embedder {

    String modelId();

    int dimension();

    List<float[]> embedPassages(List<String> texts);

    float[] embedQuery(String text);
}
