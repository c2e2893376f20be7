package dev.quarry.retrieval.answer;

import java.util.List;

/**
 * How close each candidate sentence is to the question in meaning: the cosine of their embeddings,
 * in [-1, 1]. The extractive answerer combines it with term overlap, so "What did Nike hold in
 * inventories?" finds the row "Inventories 5,622 5,261" and "how much cash came from operations" finds
 * "Net cash provided by operating activities".
 */
@FunctionalInterface
public interface Relevance {
    double[] similarities(String question, List<String> sentences);

    /** No embedding model: term overlap alone decides. */
    Relevance NONE = (question, sentences) -> null;
}
