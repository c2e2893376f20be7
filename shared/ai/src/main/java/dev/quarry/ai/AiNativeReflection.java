package dev.quarry.ai;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The langchain4j Bedrock types that Jackson reads in a native image: Titan's InvokeModel response body
 * ({@code BedrockTitanEmbeddingModel} writes its request as a map and reads the response into this class).
 * Converse and Rerank go through AWS SDK types, which carry their own native metadata.
 */
@RegisterForReflection(classNames = {
        "dev.langchain4j.model.bedrock.BedrockTitanEmbeddingResponse",
}, serialization = true)
public final class AiNativeReflection {
    private AiNativeReflection() {
    }
}
