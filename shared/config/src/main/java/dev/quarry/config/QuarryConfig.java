package dev.quarry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * All of Quarry's settings. Terraform sets them as environment variables (QUARRY_EXTRACT_MAX_PAGES
 * for quarry.extract.max-pages); the local stack sets the same names.
 */
@ConfigMapping(prefix = "quarry")
public interface QuarryConfig {

    /** The bucket that holds uploads (documents/) and work files (work/). */
    String bucket();

    /**
     * The AWS region of the deployment: every Bedrock client (embeddings, chat, rerank) calls the models
     * here, where the function's IAM grants and VPC endpoint are. Lambda sets AWS_REGION.
     */
    @WithDefault("${AWS_REGION:us-east-1}")
    String region();

    OpenSearch opensearch();

    Extract extract();

    Chunking chunking();

    Embedding embedding();

    Answer answer();

    Auth auth();

    Search search();

    Queue queue();

    Health health();

    Cost cost();

    interface Health {
        /** How long GET /v1/health reuses its last look at OpenSearch (the endpoint needs no authentication). */
        @WithDefault("PT10S")
        Duration checkInterval();
    }

    /** The SQS queue that feeds an ingestion function (its event source mapping and redrive policy). */
    interface Queue {
        /**
         * The queue's redrive maxReceiveCount. On that delivery a record that still fails is given up:
         * its document ends FAILED with the reason, and the message goes to the dead-letter queue.
         */
        @WithDefault("3")
        int maxReceiveCount();

        /**
         * Tries per delivery for a transient failure (throttling, 5xx, timeouts, resets) before the record is
         * left to the queue's next delivery; 1 leaves every retry to the queue. Permanent failures are never retried.
         */
        @WithDefault("3")
        int retryAttempts();

        /** The longest wait before the first in-process retry; it doubles for each further one (full jitter). */
        @WithDefault("200ms")
        java.time.Duration retryBaseDelay();

        /** The cap on the wait between in-process retries. */
        @WithDefault("5s")
        java.time.Duration retryMaxDelay();

        /**
         * Backoff between deliveries: a message left to the queue after delivery n (a transient failure, not the
         * last delivery) is hidden for a random time between half of and all of {@code min(redelivery-max-delay,
         * redelivery-base-delay * 2^(n-1))} (SQS ChangeMessageVisibility), instead of the queue's visibility timeout.
         * The defaults keep the window the queues' deliveries span about as long as their visibility timeouts did
         * (3 deliveries: the last 30 to 60 minutes after the first), so an outage of minutes does not fail documents,
         * while the first retry comes sooner and sandboxes that failed together come back apart. 0 keeps the queue's
         * timeout for every redelivery.
         */
        @WithDefault("20m")
        java.time.Duration redeliveryBaseDelay();

        /**
         * The cap on the backoff between deliveries; keep it well below the queue's visibility timeout
         * (infra/pipeline.json), at most SQS's 12 hours.
         */
        @WithDefault("1h")
        java.time.Duration redeliveryMaxDelay();

        /**
         * Overrides the SQS endpoint the stage calls to delay a redelivery (the local stack's ElasticMQ). Unset in AWS:
         * the SDK's endpoint for the queue's region.
         */
        Optional<String> endpoint();

        /**
         * The index stage's queue (its URL), where the query function sends the look at a document whose upload
         * never came, held back until its upload URL has expired. Unset: nothing is sent, and the API still reads such
         * a document as FAILED UPLOAD_EXPIRED.
         */
        Optional<String> expiryQueueUrl();
    }

    interface OpenSearch {
        /** Base URL of the OpenSearch endpoint, e.g. http://127.0.0.1:9200 or https://vpc-...es.amazonaws.com. */
        String endpoint();

        /** Sign requests with AWS SigV4 (Amazon OpenSearch Service with IAM access). */
        @WithDefault("false")
        boolean sigv4();

        /** AWS region for SigV4 signing. */
        @WithDefault("${AWS_REGION:us-east-1}")
        String region();

        /** Index holding one document per chunk (text + vector). */
        @WithDefault("quarry-chunks")
        String chunkIndex();

        /** Index holding document status records and part markers. */
        @WithDefault("quarry-documents")
        String statusIndex();

        /** Index holding each tenant's question history. */
        @WithDefault("quarry-queries")
        String queriesIndex();

        /**
         * Replicas of each index the functions create: 0 on a one-node domain (a replica could never be
         * placed and the index would stay yellow), 1 when the domain has nodes in two zones.
         */
        @WithDefault("0")
        int replicas();
    }

    interface Extract {
        /** Largest PDF accepted, in bytes. */
        @WithDefault("104857600")
        long maxBytes();

        /** Most pages accepted in one PDF. */
        @WithDefault("5000")
        int maxPages();

        /** Pages per part: each part is extracted, chunked, embedded and indexed by its own invocations. */
        @WithDefault("100")
        int pagesPerPart();

        /** Longest time one part's text extraction may take before the document fails with TIMEOUT. */
        @WithDefault("PT120S")
        Duration timeout();
    }

    interface Chunking {
        /** Most tokens in one chunk (the embedding model's window is 512 including two special tokens). */
        @WithDefault("320")
        int maxTokens();

        /** Tokens repeated from the end of one chunk at the start of the next. */
        @WithDefault("48")
        int overlapTokens();
    }

    interface Embedding {
        /** onnx (in-process bge-small-en-v1.5, quantized) or bedrock (Amazon Titan Text Embeddings v2). */
        @WithDefault("onnx")
        EmbeddingProvider provider();

        /** Model id recorded with the index; ingestion and queries must agree. */
        @WithDefault("bge-small-en-v1.5-q")
        String modelId();

        /** Vector dimension: 384 for bge-small; 256, 512 or 1024 for Titan v2. */
        @WithDefault("384")
        int dimension();

        /** Texts per embedding call. */
        @WithDefault("16")
        int batchSize();

        /** Instruction prepended to queries (bge recommends one for short queries against passages). */
        Optional<String> queryInstruction();
    }

    interface Answer {
        /** extractive (no model: picks sentences from the passages), bedrock (Converse) or openai (any compatible endpoint). */
        @WithDefault("extractive")
        AnswerProvider provider();

        /** Chat model id for bedrock/openai. */
        @WithDefault("anthropic.claude-3-haiku-20240307-v1:0")
        String modelId();

        /** Base URL of an OpenAI-compatible endpoint, or a Bedrock endpoint override. */
        Optional<String> endpoint();

        /** API key for the OpenAI-compatible endpoint (set directly locally; in AWS it comes from api-key-secret-arn). */
        Optional<String> apiKey();

        /**
         * ARN of a Secrets Manager secret whose SecretString is the API key. The query function reads it once,
         * when its configuration is first read, and uses it as api-key unless api-key is set itself; the key is
         * then in neither the Terraform state nor the function's environment.
         */
        Optional<String> apiKeySecretArn();

        /**
         * Extractive answers: cosine between the question and a sentence (by the embedding model) below
         * which the sentence is never quoted. Default: the value measured for the configured embedding
         * model (0.45 for bge-small), none (0) for a model without a measurement (see SimilarityThresholds).
         */
        Optional<Double> minSimilarity();

        /**
         * Cosine between the question and the closest passage (k-NN) below which nothing relevant was
         * retrieved: the answer is "not found" and no model is called. Default: the value measured for the
         * configured embedding model (0.62 for bge-small: unrelated questions score about 0.45-0.6 against
         * business filings, related ones 0.7 and more), none (0) for a model without a measurement, such as
         * Titan: measure it on your documents with scripts/quarry eval before setting it.
         */
        Optional<Double> minPassageSimilarity();

        /**
         * Extractive answers: sentences and table rows (the best by shared terms) that the embedding model
         * reads per question; bounds the answer's latency (about 5-10 ms each on 2 cores). 0 chooses by shared
         * terms alone. 6 cites as well as 12 on FinanceBench dev (0.85) at half the cost; 3 cites less (0.70).
         */
        @WithDefault("6")
        int sentenceCandidates();

        /** Passages given to the answerer. */
        @WithDefault("5")
        int passages();

        /** Longest time to wait for the chat model. */
        @WithDefault("PT20S")
        Duration timeout();
    }

    /**
     * Prices for the estimated cost of questions (USD per million tokens). Unset: the in-process embedding model and the
     * extractive answerer cost nothing and a Bedrock model costs its us-east-1 on-demand list price (ModelPrices);
     * set them for another region, a contract price, or a model without a listed price (an OpenAI-compatible endpoint).
     */
    interface Cost {
        /** Embedding model, per million input tokens. */
        Optional<Double> embeddingPerMillionTokens();

        /** Answer model, per million input tokens. */
        Optional<Double> answerInputPerMillionTokens();

        /** Answer model, per million output tokens. */
        Optional<Double> answerOutputPerMillionTokens();
    }

    interface Auth {
        /** JWT claim that carries the tenant (set by the API Gateway JWT authorizer). */
        @WithDefault("custom:tenant")
        String tenantClaim();
    }

    interface Search {
        /** rrf (reciprocal rank fusion) or weighted (min-max normalized scores). */
        @WithDefault("rrf")
        Fusion fusion();

        /** k in 1/(k + rank) for RRF. */
        @WithDefault("60")
        int rrfK();

        /** Weight of BM25 in fusion (see FusionOptions#defaults for why 0.3). */
        @WithDefault("0.3")
        double bm25Weight();

        /** Weight of k-NN in fusion (see FusionOptions#defaults for why 0.7). */
        @WithDefault("0.7")
        double knnWeight();

        /** Candidates fetched from each of BM25 and k-NN before fusion (at least topK). */
        @WithDefault("50")
        int candidates();

        /**
         * Weight, on the fusion's reciprocal-rank scale, of the question's document terms (company, period,
         * title) found in a candidate's document context; 0 leaves it out (see Focus).
         */
        @WithDefault("0.5")
        double documentWeight();

        /**
         * Weight, on the fusion's reciprocal-rank scale, of a candidate sitting under the financial statement
         * the question names; 0 leaves it out (see Focus).
         */
        @WithDefault("0.5")
        double statementWeight();

        /** Weight of the document context (title, company, period) beside the passage text in BM25; 0 leaves it out. */
        @WithDefault("1.0")
        double contextBoost();

        /** Weight of the section path (headings, a table's column headers) beside the passage text in BM25; 0 leaves it out. */
        @WithDefault("1.0")
        double sectionBoost();

        /**
         * none (keep the fused order), local (the embedding model reads each candidate again in windows of a
         * few sentences or rows, WindowReranker; one embedding per window) or bedrock (Amazon Bedrock Rerank over
         * the fused candidates, one call per question, paid per call).
         */
        @WithDefault("none")
        Rerank rerank();

        /** Bedrock reranking model id (or full ARN); the ARN is built for quarry.region. */
        @WithDefault("amazon.rerank-v1:0")
        String rerankModel();

        /** Fused candidates given to the reranker. */
        @WithDefault("20")
        int rerankCandidates();

        /** Overrides the Bedrock Agent Runtime endpoint (VPC endpoints, tests). */
        Optional<String> rerankEndpoint();

        /** Re-rank fused hits with maximal marginal relevance (diversity). */
        @WithDefault("false")
        boolean mmr();

        /** MMR trade-off: 1 = relevance only. */
        @WithDefault("0.7")
        double mmrLambda();
    }
}
