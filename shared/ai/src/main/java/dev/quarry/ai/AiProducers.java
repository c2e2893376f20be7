package dev.quarry.ai;

import dev.quarry.config.QuarryConfig;
import dev.quarry.ai.answer.AnswerGenerator;
import dev.quarry.ai.answer.ChatAnswerGenerator;
import dev.quarry.ai.cost.ModelPrices;
import dev.quarry.ai.answer.ChatModels;
import dev.quarry.ai.answer.ExtractiveAnswerGenerator;
import dev.quarry.core.chunk.TokenCounter;
import dev.quarry.core.port.Embedder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import dev.quarry.ai.rerank.BedrockReranker;
import dev.quarry.retrieval.rerank.Reranker;
import dev.quarry.retrieval.rerank.WindowReranker;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** CDI wiring of the models; each is built once per Lambda sandbox (the ONNX model loads in ~1 s). */
@ApplicationScoped
public class AiProducers {

    @Produces
    @Singleton
    Embedder embedder(QuarryConfig config) {
        QuarryConfig.Embedding e = config.embedding();
        return Embedders.create(e.provider(), e.modelId(), e.dimension(), e.queryInstruction(), config.region());
    }

    @Produces
    @Singleton
    TokenCounter tokenCounter() {
        return new BertTokenCounter();
    }

    @Produces
    @Singleton
    ModelPrices modelPrices(QuarryConfig config) {
        QuarryConfig.Cost c = config.cost();
        return ModelPrices.of(config.embedding().provider(), config.embedding().modelId(), c.embeddingPerMillionTokens(),
                config.answer().provider(), config.answer().modelId(), c.answerInputPerMillionTokens(),
                c.answerOutputPerMillionTokens());
    }

    @Produces
    @Singleton
    SimilarityThresholds similarityThresholds(QuarryConfig config) {
        return SimilarityThresholds.of(config.embedding().modelId(), config.answer().minSimilarity(),
                config.answer().minPassageSimilarity());
    }

    @Produces
    @Singleton
    AnswerGenerator answerGenerator(QuarryConfig config, Embedder embedder, SimilarityThresholds thresholds) {
        QuarryConfig.Answer a = config.answer();
        return switch (a.provider()) {
            // 0 sentence candidates: term overlap alone, for the lowest latency
            case EXTRACTIVE -> a.sentenceCandidates() == 0 ? new ExtractiveAnswerGenerator(a.passages())
                    : new ExtractiveAnswerGenerator(a.passages(), embedder, thresholds.sentence(), a.sentenceCandidates());
            case BEDROCK -> new ChatAnswerGenerator(ChatModels.bedrock(a.modelId(), a.endpoint(), a.timeout(),
                    Region.of(config.region())), a.passages());
            case OPENAI -> new ChatAnswerGenerator(ChatModels.openAi(a.modelId(),
                    a.endpoint().orElseThrow(() -> new IllegalArgumentException("quarry.answer.endpoint is required for openai")),
                    a.apiKey().orElse("none"), a.timeout()), a.passages());
        };
    }

    @Produces
    @Singleton
    Reranker reranker(QuarryConfig config, Embedder embedder) {
        QuarryConfig.Search s = config.search();
        return switch (s.rerank()) {
            case NONE -> Reranker.NONE;
            case LOCAL -> new WindowReranker(ExtractiveAnswerGenerator.relevance(embedder), 1.0);
            case BEDROCK -> BedrockReranker.create(config.region(), s.rerankModel(), s.rerankEndpoint(),
                    DefaultCredentialsProvider.builder().build());
        };
    }
}
