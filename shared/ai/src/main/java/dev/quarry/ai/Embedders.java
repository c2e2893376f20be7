package dev.quarry.ai;

import dev.langchain4j.model.bedrock.BedrockTitanEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.quarry.core.port.Embedder;

import java.util.Optional;

/** Builds the configured embedding model. */
public final class Embedders {
    public static final String BGE_QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: ";

    private Embedders() {
    }

    public static Embedder create(String provider, String modelId, int dimension, Optional<String> queryInstruction) {
        return switch (provider.toLowerCase()) {
            case "onnx" -> new LangChainEmbedder(new BgeSmallEnV15QuantizedEmbeddingModel(), modelId, dimension,
                    queryInstruction.orElse(BGE_QUERY_INSTRUCTION));
            case "bedrock" -> new LangChainEmbedder(BedrockTitanEmbeddingModel.builder()
                    .model(modelId)
                    .dimensions(dimension)
                    .normalize(true)
                    .maxRetries(3)
                    .build(), modelId, dimension, queryInstruction.orElse(""));
            default -> throw new IllegalArgumentException("quarry.embedding.provider must be onnx or bedrock, not '" + provider + "'");
        };
    }
}
