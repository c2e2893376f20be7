package dev.quarry.ai;

import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.quarry.core.chunk.TokenCounter;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts WordPiece tokens with the BERT uncased tokenizer that bge-small-en-v1.5 uses (langchain4j's
 * HuggingFace tokenizer; its count includes [CLS]/[SEP], which are taken off here). Counts of short
 * texts (single words, which the chunker asks about over and over on pages without sentences, such
 * as indexes) are cached: each tokenizer call crosses JNI.
 */
public final class BertTokenCounter implements TokenCounter {
    private static final int CACHEABLE_LENGTH = 48;
    private static final int MAX_CACHED = 200_000;

    private final HuggingFaceTokenCountEstimator estimator = new HuggingFaceTokenCountEstimator();
    private final ConcurrentHashMap<String, Integer> shortTexts = new ConcurrentHashMap<>();

    @Override
    public int count(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        if (text.length() > CACHEABLE_LENGTH) {
            return tokenize(text);
        }
        Integer cached = shortTexts.get(text);
        if (cached != null) {
            return cached;
        }
        int n = tokenize(text);
        if (shortTexts.size() < MAX_CACHED) {
            shortTexts.put(text, n);
        }
        return n;
    }

    private int tokenize(String text) {
        return Math.max(0, estimator.estimateTokenCountInText(text) - 2);
    }
}
