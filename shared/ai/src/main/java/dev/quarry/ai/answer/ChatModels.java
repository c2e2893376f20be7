package dev.quarry.ai.answer;

import dev.langchain4j.model.bedrock.BedrockChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClientBuilder;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Builds the configured chat model. */
public final class ChatModels {
    private ChatModels() {
    }

    /**
     * Bedrock Converse in {@code region} (the deployment's, where IAM and the VPC endpoint are);
     * {@code endpoint} overrides the Bedrock runtime endpoint (VPC endpoints, tests).
     */
    public static ChatModel bedrock(String modelId, Optional<String> endpoint, Duration timeout, Region region) {
        return bedrock(modelId, endpoint, timeout, BedrockRuntimeClient.builder().region(region));
    }

    /**
     * As {@link #bedrock(String, Optional, Duration)}, with credentials and region given instead of
     * found by the SDK's default chains (tests against a fake endpoint, another account's role).
     */
    public static ChatModel bedrock(String modelId, Optional<String> endpoint, Duration timeout,
            AwsCredentialsProvider credentials, Region region) {
        return bedrock(modelId, endpoint, timeout, BedrockRuntimeClient.builder().credentialsProvider(credentials).region(region));
    }

    private static ChatModel bedrock(String modelId, Optional<String> endpoint, Duration timeout, BedrockRuntimeClientBuilder client) {
        client.overrideConfiguration(ClientOverrideConfiguration.builder()
                .apiCallTimeout(timeout)
                .retryStrategy(RetryMode.STANDARD)
                .build());
        endpoint.ifPresent(e -> client.endpointOverride(URI.create(e)));
        // The SDK retries (3 attempts, throttling-aware backoff, all within apiCallTimeout); retries of
        // langchain4j on top would multiply them (9 calls, each with a fresh timeout) past the API's deadline.
        return BedrockChatModel.builder().client(client.build()).modelId(modelId).maxRetries(0).build();
    }

    public static ChatModel openAi(String modelId, String baseUrl, String apiKey, Duration timeout) {
        return OpenAiChatModel.builder().baseUrl(baseUrl).apiKey(apiKey).modelName(modelId).timeout(timeout).maxRetries(2).build();
    }
}
