package dev.quarry.config;

/** Where embeddings come from ({@code quarry.embedding.provider}); written in lower case in configuration. */
public enum EmbeddingProvider {
    /** bge-small-en-v1.5 (quantized) in the function, through ONNX Runtime: the local default, free. */
    ONNX,
    /** Amazon Titan Text Embeddings v2 on Amazon Bedrock, in the function's region. */
    BEDROCK
}
