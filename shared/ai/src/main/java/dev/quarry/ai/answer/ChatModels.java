package dev.quarry.ai.answer;

import dev.langchain4j.model.bedrock.BedrockChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Builds the configured chat model. */
public final class ChatModels {
    private ChatModels() {
    }

    /** Bedrock Converse; {@code endpoint} overrides the Bedrock runtime endpoint (VPC endpoints, tests). */
    public static ChatModel bedrock(String modelId, Optional<String> endpoint, Duration timeout) {
        var client = BedrockRuntimeClient.builder()
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(timeout)
                        .retryStrategy(RetryMode.STANDARD)
                        .build());
        endpoint.ifPresent(e -> client.endpointOverride(URI.create(e)));
        return BedrockChatModel.builder().client(client.build()).modelId(modelId).maxRetries(2).build();
    }

    public static ChatModel openAi(String modelId, String baseUrl, String apiKey, Duration timeout) {
        return OpenAiChatModel.builder().baseUrl(baseUrl).apiKey(apiKey).modelName(modelId).timeout(timeout).maxRetries(2).build();
    }
}
