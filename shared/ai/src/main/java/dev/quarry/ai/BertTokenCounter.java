package dev.quarry.ai;

import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.quarry.core.chunk.TokenCounter;

/**
 * Counts WordPiece tokens with the BERT uncased tokenizer that bge-small-en-v1.5 uses (langchain4j's
 * HuggingFace tokenizer; its count includes [CLS]/[SEP], which are taken off here).
 */
public final class BertTokenCounter implements TokenCounter {
    private final HuggingFaceTokenCountEstimator estimator = new HuggingFaceTokenCountEstimator();

    @Override
    public int count(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        return Math.max(0, estimator.estimateTokenCountInText(text) - 2);
    }
}
