package dev.quarry.terraform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The QUARRY_* environment variables Terraform may set, the config property each one sets, and who gets which. */
final class QuarrySettings {

    private QuarrySettings() {}

    /** Environment variable => the Quarkus config property it sets. */
    static final Map<String, String> PROPERTIES = properties(
            "QUARRY_BUCKET", "quarry.bucket",
            "QUARRY_OPENSEARCH_ENDPOINT", "quarry.opensearch.endpoint",
            "QUARRY_OPENSEARCH_SIGV4", "quarry.opensearch.sigv4",
            "QUARRY_OPENSEARCH_CHUNK_INDEX", "quarry.opensearch.chunk-index",
            "QUARRY_OPENSEARCH_STATUS_INDEX", "quarry.opensearch.status-index",
            "QUARRY_OPENSEARCH_QUERIES_INDEX", "quarry.opensearch.queries-index",
            "QUARRY_OPENSEARCH_REPLICAS", "quarry.opensearch.replicas",
            "QUARRY_EXTRACT_MAX_BYTES", "quarry.extract.max-bytes",
            "QUARRY_EXTRACT_MAX_PAGES", "quarry.extract.max-pages",
            "QUARRY_EXTRACT_PAGES_PER_PART", "quarry.extract.pages-per-part",
            "QUARRY_EXTRACT_TIMEOUT", "quarry.extract.timeout",
            "QUARRY_CHUNKING_MAX_TOKENS", "quarry.chunking.max-tokens",
            "QUARRY_CHUNKING_OVERLAP_TOKENS", "quarry.chunking.overlap-tokens",
            "QUARRY_EMBEDDING_PROVIDER", "quarry.embedding.provider",
            "QUARRY_EMBEDDING_MODEL_ID", "quarry.embedding.model-id",
            "QUARRY_EMBEDDING_DIMENSION", "quarry.embedding.dimension",
            "QUARRY_ANSWER_PROVIDER", "quarry.answer.provider",
            "QUARRY_ANSWER_MODEL_ID", "quarry.answer.model-id",
            "QUARRY_ANSWER_ENDPOINT", "quarry.answer.endpoint",
            "QUARRY_ANSWER_API_KEY_SECRET_ARN", "quarry.answer.api-key-secret-arn",
            "QUARRY_QUEUE_MAX_RECEIVE_COUNT", "quarry.queue.max-receive-count",
            "QUARRY_QUEUE_EXPIRY_QUEUE_URL", "quarry.queue.expiry-queue-url",
            "QUARRY_AUTH_TENANT_CLAIM", "quarry.auth.tenant-claim",
            "QUARRY_SEARCH_FUSION", "quarry.search.fusion",
            "QUARRY_CONSOLE_COGNITO_CLIENT_ID", "quarry.console.cognito-client-id",
            "QUARRY_COST_EMBEDDING_PER_MILLION_TOKENS", "quarry.cost.embedding-per-million-tokens",
            "QUARRY_COST_ANSWER_INPUT_PER_MILLION_TOKENS", "quarry.cost.answer-input-per-million-tokens",
            "QUARRY_COST_ANSWER_OUTPUT_PER_MILLION_TOKENS", "quarry.cost.answer-output-per-million-tokens");

    private static final List<String> COMMON = List.of(
            "QUARRY_BUCKET", "QUARRY_OPENSEARCH_ENDPOINT", "QUARRY_OPENSEARCH_SIGV4",
            "QUARRY_OPENSEARCH_CHUNK_INDEX", "QUARRY_OPENSEARCH_STATUS_INDEX", "QUARRY_OPENSEARCH_REPLICAS");
    private static final List<String> EMBEDDING = List.of(
            "QUARRY_EMBEDDING_PROVIDER", "QUARRY_EMBEDDING_MODEL_ID", "QUARRY_EMBEDDING_DIMENSION");
    /** What every SQS-fed stage function reads about its queue. */
    private static final List<String> QUEUE = List.of("QUARRY_QUEUE_MAX_RECEIVE_COUNT");

    /**
     * Function => the variables it may receive, no more and no less (the answer endpoint and the key's
     * secret ARN only when they are configured). QUARRY_ANSWER_API_KEY is for local use: in AWS the key
     * stays in its secret.
     */
    static final Map<String, Set<String>> BY_FUNCTION = Map.of(
            "extract", union(COMMON, QUEUE, List.of("QUARRY_EXTRACT_MAX_BYTES", "QUARRY_EXTRACT_MAX_PAGES",
                    "QUARRY_EXTRACT_PAGES_PER_PART", "QUARRY_EXTRACT_TIMEOUT")),
            "chunk", union(COMMON, QUEUE, List.of("QUARRY_CHUNKING_MAX_TOKENS", "QUARRY_CHUNKING_OVERLAP_TOKENS")),
            "embed", union(COMMON, QUEUE, EMBEDDING),
            "index", union(COMMON, QUEUE, EMBEDDING),
            "query", union(COMMON, EMBEDDING, List.of("QUARRY_ANSWER_PROVIDER", "QUARRY_ANSWER_MODEL_ID",
                    "QUARRY_ANSWER_ENDPOINT", "QUARRY_ANSWER_API_KEY_SECRET_ARN",
                    "QUARRY_AUTH_TENANT_CLAIM", "QUARRY_OPENSEARCH_QUERIES_INDEX", "QUARRY_SEARCH_FUSION",
                    // The web console: the upload size limit, and its Cognito app client when there is one.
                    "QUARRY_EXTRACT_MAX_BYTES", "QUARRY_CONSOLE_COGNITO_CLIENT_ID",
                    // Where it sends the look at a document whose upload never came: the index stage's queue.
                    "QUARRY_QUEUE_EXPIRY_QUEUE_URL",
                    // Prices for the answers' estimated cost, when set.
                    "QUARRY_COST_EMBEDDING_PER_MILLION_TOKENS", "QUARRY_COST_ANSWER_INPUT_PER_MILLION_TOKENS",
                    "QUARRY_COST_ANSWER_OUTPUT_PER_MILLION_TOKENS")));

    /** How Quarkus names the environment variable of a property: non-alphanumerics become '_', upper case. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }

    private static Map<String, String> properties(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @SafeVarargs
    private static Set<String> union(List<String>... lists) {
        Set<String> all = new TreeSet<>();
        for (List<String> list : lists) {
            all.addAll(list);
        }
        return all;
    }
}
