package dev.quarry.ai.answer;

import dev.quarry.core.port.Embedder;
import dev.quarry.model.SearchHit;
import dev.quarry.model.Vectors;
import dev.quarry.retrieval.answer.CitationVerifier;
import dev.quarry.retrieval.answer.ExtractiveAnswer;
import dev.quarry.retrieval.answer.ExtractiveAnswerer;
import dev.quarry.retrieval.answer.Relevance;
import java.util.List;

/**
 * The default answerer: no generative model, the answering sentences and table rows of the top
 * passages, each cited. Sentences are chosen by meaning with the same embedding model that indexed
 * the passages, combined with shared terms.
 */
public final class ExtractiveAnswerGenerator implements AnswerGenerator {
    static final String NOTE = "Extractive answer: sentences quoted from your documents; no generative model is configured.";
    private final ExtractiveAnswerer answerer;

    /** Term overlap only (no embedding model at hand). */
    public ExtractiveAnswerGenerator(int passages) {
        this.answerer = new ExtractiveAnswerer(new CitationVerifier(), Relevance.NONE,
                ExtractiveAnswerer.DEFAULT_MIN_SIMILARITY, passages, 3);
    }

    public ExtractiveAnswerGenerator(int passages, Embedder embedder, double minSimilarity, int sentenceCandidates) {
        this.answerer = new ExtractiveAnswerer(new CitationVerifier(), relevance(embedder), minSimilarity, sentenceCandidates,
                passages, 3);
    }

    /** Cosine of the question (embedded as a query) and each sentence (embedded as a passage). */
    public static Relevance relevance(Embedder embedder) {
        return (question, sentences) -> {
            if (sentences.isEmpty()) {
                return new double[0];
            }
            float[] q = embedder.embedQuery(question);
            List<float[]> vs = embedder.embedPassages(sentences);
            double[] out = new double[vs.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = Vectors.cosine(q, vs.get(i));
            }
            return out;
        };
    }

    @Override
    public Answer answer(String question, List<SearchHit> passages) {
        ExtractiveAnswer a = answerer.answer(question, passages);
        return new Answer(a.answer(), "extractive", a.citations(), a.found(), NOTE);
    }
}
