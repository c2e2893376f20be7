package dev.quarry.ai;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import dev.quarry.core.port.Embedder;
import dev.quarry.core.port.ModelUsage;
import dev.quarry.core.port.RetryableException;

import java.util.List;
import java.util.Map;

/** Any langchain4j {@link EmbeddingModel} as Quarry's {@link Embedder}, with the id and dimension it records. */
public final class LangChainEmbedder implements Embedder {
    private final EmbeddingModel model;
    private final String modelId;
    private final int dimension;
    private final String queryInstruction;

    public LangChainEmbedder(EmbeddingModel model, String modelId, int dimension, String queryInstruction) {
        this.model = model;
        this.modelId = modelId;
        this.dimension = dimension;
        this.queryInstruction = queryInstruction == null ? "" : queryInstruction;
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public List<float[]> embedPassages(List<String> texts) {
        List<Embedding> out = call(texts.stream().map(TextSegment::from).toList());
        return out.stream().map(this::checked).toList();
    }

    @Override
    public float[] embedQuery(String text) {
        // A question is embedded for retrieval and again to choose its answer's sentences: the second is free.
        Map.Entry<String, float[]> last = lastQuery;
        if (last != null && last.getKey().equals(text)) {
            return last.getValue().clone();
        }
        float[] vector = checked(call(List.of(TextSegment.from(queryInstruction + text))).get(0));
        lastQuery = Map.entry(text, vector.clone());
        return vector;
    }

    private volatile Map.Entry<String, float[]> lastQuery;

    private List<Embedding> call(List<TextSegment> segments) {
        try {
            Response<List<Embedding>> response = model.embedAll(segments);
            if (ModelUsage.metering()) {
                ModelUsage.embedding(inputTokens(response.tokenUsage(), segments));
            }
            return response.content();
        } catch (RuntimeException e) {
            if (isThrottling(e)) {
                throw new RetryableException("The embedding model is throttling: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** The tokens the model reports it read; counted with the WordPiece vocabulary when it reports none. */
    private static long inputTokens(TokenUsage usage, List<TextSegment> segments) {
        if (usage != null && usage.inputTokenCount() != null) {
            return usage.inputTokenCount();
        }
        return segments.stream().mapToLong(s -> WordPiece.COUNTER.count(s.text())).sum();
    }

    /** Loaded on first use: only a model that reports no usage needs it. */
    private static final class WordPiece {
        static final BertTokenCounter COUNTER = new BertTokenCounter();
    }

    private float[] checked(Embedding e) {
        if (e.dimension() != dimension) {
            throw new IllegalStateException("Model " + modelId + " returned " + e.dimension() + " dimensions, configured "
                    + dimension + ": fix quarry.embedding.dimension");
        }
        return e.vector();
    }

    private static boolean isThrottling(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (name.contains("Throttl") || name.contains("RateLimit") || (t.getMessage() != null && t.getMessage().contains("429"))) {
                return true;
            }
        }
        return false;
    }
}
