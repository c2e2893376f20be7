package dev.quarry.ai.rerank;

import dev.quarry.core.port.RetryableException;
import dev.quarry.model.SearchHit;
import dev.quarry.retrieval.rerank.Reranker;
import java.net.URI;
import java.util.ArrayList;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeClientBuilder;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeClient;
import software.amazon.awssdk.services.bedrockagentruntime.model.BedrockRerankingConfiguration;
import software.amazon.awssdk.services.bedrockagentruntime.model.BedrockRerankingModelConfiguration;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankDocument;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankDocumentType;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankQuery;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankQueryContentType;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankRequest;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankResponse;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankResult;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankSource;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankSourceType;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankTextDocument;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankingConfiguration;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankingConfigurationType;

/**
 * Amazon Bedrock Rerank (the Bedrock Agent Runtime {@code Rerank} API, paid per call): one call per
 * question with the fused candidates as inline text documents. The model sees each passage with its
 * document context and section, as the embedding model did.
 */
public final class BedrockReranker implements Reranker {
    /** The API takes at most this many sources per call. */
    static final int MAX_SOURCES = 1000;

    private final BedrockAgentRuntimeClient client;
    private final String modelArn;

    /**
     * @param client   built for the function's region (the model ARN names the same region)
     * @param modelArn e.g. {@code arn:aws:bedrock:eu-central-1::foundation-model/amazon.rerank-v1:0}
     */
    public BedrockReranker(BedrockAgentRuntimeClient client, String modelArn) {
        this.client = client;
        this.modelArn = modelArn;
    }

    /**
     * A reranker calling Bedrock in {@code region} (the deployment's: the model ARN, the signature and
     * the VPC endpoint all name it).
     *
     * @param endpoint overrides the Bedrock Agent Runtime endpoint (VPC endpoints, tests)
     */
    public static BedrockReranker create(String region, String modelId, Optional<String> endpoint,
            AwsCredentialsProvider credentials) {
        BedrockAgentRuntimeClientBuilder client = BedrockAgentRuntimeClient.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create());
        endpoint.ifPresent(e -> client.endpointOverride(URI.create(e)));
        return new BedrockReranker(client.build(), modelArn(region, modelId));
    }

    /** The foundation-model ARN of {@code modelId} in {@code region}. */
    public static String modelArn(String region, String modelId) {
        return modelId.startsWith("arn:") ? modelId : "arn:aws:bedrock:" + region + "::foundation-model/" + modelId;
    }

    @Override
    public List<SearchHit> rerank(String query, List<SearchHit> hits, int topK) {
        if (hits.isEmpty() || topK <= 0) {
            return List.of();
        }
        List<SearchHit> pool = hits.subList(0, Math.min(MAX_SOURCES, hits.size()));
        List<RerankSource> sources = new ArrayList<>(pool.size());
        for (SearchHit hit : pool) {
            String text = hit.section() == null ? hit.text() : hit.section() + "\n" + hit.text();
            sources.add(RerankSource.builder().type(RerankSourceType.INLINE)
                    .inlineDocumentSource(RerankDocument.builder().type(RerankDocumentType.TEXT)
                            .textDocument(RerankTextDocument.builder().text(text).build()).build())
                    .build());
        }
        RerankRequest request = RerankRequest.builder()
                .queries(RerankQuery.builder().type(RerankQueryContentType.TEXT)
                        .textQuery(RerankTextDocument.builder().text(query).build()).build())
                .sources(sources)
                .rerankingConfiguration(RerankingConfiguration.builder()
                        .type(RerankingConfigurationType.BEDROCK_RERANKING_MODEL)
                        .bedrockRerankingConfiguration(BedrockRerankingConfiguration.builder()
                                .numberOfResults(Math.min(topK, pool.size()))
                                .modelConfiguration(BedrockRerankingModelConfiguration.builder().modelArn(modelArn).build())
                                .build())
                        .build())
                .build();
        RerankResponse response;
        try {
            response = client.rerank(request);
        } catch (SdkServiceException e) {
            if (e.statusCode() >= 400 && e.statusCode() < 500 && e.statusCode() != 408 && e.statusCode() != 429) {
                throw new IllegalStateException("Bedrock Rerank refused the request (" + e.statusCode() + "): "
                        + e.getMessage() + " Check quarry.search.rerank-model and the function's access to it.", e);
            }
            throw new RetryableException("Bedrock Rerank failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new RetryableException("Bedrock Rerank failed: " + e.getMessage(), e);
        }
        List<SearchHit> out = new ArrayList<>();
        for (RerankResult r : response.results()) {
            if (r.index() != null && r.index() >= 0 && r.index() < pool.size()) {
                out.add(pool.get(r.index()).withScore(r.relevanceScore() == null ? 0 : r.relevanceScore()));
            }
        }
        return out.size() > topK ? out.subList(0, topK) : out;
    }
}
