package dev.quarry.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The rules that tie settings together, which a single property's type cannot say (an OpenAI-compatible answer
 * model needs an endpoint; Titan v2 gives 256, 512 or 1024 dimensions). Every function checks them when it starts,
 * so that a wrong setting fails the deployment's first invocation with every problem named, instead of some later
 * request or document.
 */
public final class ConfigCheck {
    private static final Set<Integer> TITAN_V2_DIMENSIONS = Set.of(256, 512, 1024);
    private static final int ONNX_DIMENSION = 384;
    /** The bge window is 512 tokens, two of them special. */
    private static final int ONNX_MAX_TOKENS = 510;
    private static final java.time.Duration SQS_MAX_VISIBILITY = java.time.Duration.ofHours(12);

    private ConfigCheck() {
    }

    /** Every problem found, each naming the property and what to set; empty when the settings hold together. */
    public static List<String> problems(QuarryConfig c) {
        List<String> problems = new ArrayList<>();
        endpoint(problems, "quarry.opensearch.endpoint", c.opensearch().endpoint());
        atLeast(problems, "quarry.opensearch.replicas", c.opensearch().replicas(), 0);

        atLeast(problems, "quarry.extract.max-bytes", c.extract().maxBytes(), 1);
        atLeast(problems, "quarry.extract.max-pages", c.extract().maxPages(), 1);
        atLeast(problems, "quarry.extract.pages-per-part", c.extract().pagesPerPart(), 1);
        if (c.extract().timeout().isNegative() || c.extract().timeout().isZero()) {
            problems.add("quarry.extract.timeout must be positive, not " + c.extract().timeout());
        }

        atLeast(problems, "quarry.chunking.max-tokens", c.chunking().maxTokens(), 16);
        atLeast(problems, "quarry.chunking.overlap-tokens", c.chunking().overlapTokens(), 0);
        if (c.chunking().overlapTokens() >= c.chunking().maxTokens()) {
            problems.add("quarry.chunking.overlap-tokens (" + c.chunking().overlapTokens()
                    + ") must be smaller than quarry.chunking.max-tokens (" + c.chunking().maxTokens() + ")");
        }

        QuarryConfig.Embedding e = c.embedding();
        atLeast(problems, "quarry.embedding.batch-size", e.batchSize(), 1);
        switch (e.provider()) {
            case ONNX -> {
                if (e.dimension() != ONNX_DIMENSION) {
                    problems.add("quarry.embedding.dimension must be " + ONNX_DIMENSION + " for provider onnx (bge-small-en-v1.5), not "
                            + e.dimension());
                }
                if (c.chunking().maxTokens() > ONNX_MAX_TOKENS) {
                    problems.add("quarry.chunking.max-tokens must be at most " + ONNX_MAX_TOKENS
                            + " for provider onnx (the model reads 512 tokens, two of them special), not " + c.chunking().maxTokens());
                }
            }
            case BEDROCK -> {
                if (!TITAN_V2_DIMENSIONS.contains(e.dimension())) {
                    problems.add("quarry.embedding.dimension must be 256, 512 or 1024 for provider bedrock (Titan Text Embeddings v2), not "
                            + e.dimension());
                }
                if (c.region() == null || c.region().isBlank()) {
                    problems.add("quarry.region (AWS_REGION) must be set for provider bedrock");
                }
            }
        }

        QuarryConfig.Answer a = c.answer();
        atLeast(problems, "quarry.answer.passages", a.passages(), 1);
        atLeast(problems, "quarry.answer.sentence-candidates", a.sentenceCandidates(), 0);
        a.minSimilarity().ifPresent(v -> between(problems, "quarry.answer.min-similarity", v, -1, 1));
        a.minPassageSimilarity().ifPresent(v -> between(problems, "quarry.answer.min-passage-similarity", v, -1, 1));
        if (a.provider() == AnswerProvider.OPENAI) {
            if (a.endpoint().isEmpty()) {
                problems.add("quarry.answer.endpoint must be set for provider openai (the base URL of an OpenAI-compatible endpoint)");
            }
        }
        a.endpoint().ifPresent(url -> endpoint(problems, "quarry.answer.endpoint", url));

        QuarryConfig.Search s = c.search();
        atLeast(problems, "quarry.search.rrf-k", s.rrfK(), 0);
        atLeast(problems, "quarry.search.candidates", s.candidates(), 1);
        atLeast(problems, "quarry.search.rerank-candidates", s.rerankCandidates(), 1);
        nonNegative(problems, "quarry.search.bm25-weight", s.bm25Weight());
        nonNegative(problems, "quarry.search.knn-weight", s.knnWeight());
        if (s.bm25Weight() == 0 && s.knnWeight() == 0) {
            problems.add("quarry.search.bm25-weight and quarry.search.knn-weight must not both be 0");
        }
        nonNegative(problems, "quarry.search.document-weight", s.documentWeight());
        nonNegative(problems, "quarry.search.statement-weight", s.statementWeight());
        nonNegative(problems, "quarry.search.context-boost", s.contextBoost());
        nonNegative(problems, "quarry.search.section-boost", s.sectionBoost());
        between(problems, "quarry.search.mmr-lambda", s.mmrLambda(), 0, 1);
        s.rerankEndpoint().ifPresent(url -> endpoint(problems, "quarry.search.rerank-endpoint", url));

        atLeast(problems, "quarry.queue.max-receive-count", c.queue().maxReceiveCount(), 1);
        atLeast(problems, "quarry.queue.retry-attempts", c.queue().retryAttempts(), 1);
        if (c.queue().retryBaseDelay().compareTo(c.queue().retryMaxDelay()) > 0) {
            problems.add("quarry.queue.retry-base-delay (" + c.queue().retryBaseDelay() + ") must not exceed quarry.queue.retry-max-delay ("
                    + c.queue().retryMaxDelay() + ")");
        }
        QuarryConfig.Queue q = c.queue();
        if (q.redeliveryBaseDelay().isNegative() || q.redeliveryMaxDelay().isNegative()) {
            problems.add("quarry.queue.redelivery-base-delay and quarry.queue.redelivery-max-delay must not be negative");
        }
        if (q.redeliveryBaseDelay().compareTo(q.redeliveryMaxDelay()) > 0) {
            problems.add("quarry.queue.redelivery-base-delay (" + q.redeliveryBaseDelay() + ") must not exceed "
                    + "quarry.queue.redelivery-max-delay (" + q.redeliveryMaxDelay() + ")");
        }
        if (q.redeliveryMaxDelay().compareTo(SQS_MAX_VISIBILITY) > 0) {
            problems.add("quarry.queue.redelivery-max-delay must be at most 12 hours (SQS's longest visibility timeout), not "
                    + q.redeliveryMaxDelay());
        }
        q.endpoint().ifPresent(url -> endpoint(problems, "quarry.queue.endpoint", url));
        q.expiryQueueUrl().ifPresent(url -> endpoint(problems, "quarry.queue.expiry-queue-url", url));
        c.cost().embeddingPerMillionTokens().ifPresent(v -> nonNegative(problems, "quarry.cost.embedding-per-million-tokens", v));
        c.cost().answerInputPerMillionTokens().ifPresent(v -> nonNegative(problems, "quarry.cost.answer-input-per-million-tokens", v));
        c.cost().answerOutputPerMillionTokens().ifPresent(v -> nonNegative(problems, "quarry.cost.answer-output-per-million-tokens", v));
        return problems;
    }

    /** Throws with every problem named, one per line, when the settings do not hold together. */
    public static void require(QuarryConfig c) {
        List<String> problems = problems(c);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Quarry's configuration has " + problems.size() + " problem(s) (set them as QUARRY_* "
                    + "environment variables, e.g. QUARRY_EMBEDDING_DIMENSION for quarry.embedding.dimension):\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    private static void endpoint(List<String> problems, String property, String url) {
        try {
            URI uri = URI.create(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                problems.add(property + " must be an http or https URL with a host, not '" + url + "'");
            }
        } catch (IllegalArgumentException ex) {
            problems.add(property + " must be an http or https URL, not '" + url + "'");
        }
    }

    private static void atLeast(List<String> problems, String property, long value, long min) {
        if (value < min) {
            problems.add(property + " must be at least " + min + ", not " + value);
        }
    }

    private static void nonNegative(List<String> problems, String property, double value) {
        if (!(value >= 0)) {
            problems.add(property + " must not be negative, not " + value);
        }
    }

    private static void between(List<String> problems, String property, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            problems.add(property + " must be between " + min + " and " + max + ", not " + value);
        }
    }
}
