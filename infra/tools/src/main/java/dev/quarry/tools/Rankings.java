package dev.quarry.tools;

import dev.quarry.model.SearchHit;

import java.util.LinkedHashSet;
import java.util.List;

/** Turns a chunk ranking into the document ranking BEIR judges. */
final class Rankings {
    private Rankings() {
    }

    /**
     * The documents of {@code hits} in rank order, each at its best chunk's rank, without the
     * document whose id equals {@code queryId}: BEIR ({@code ignore_identical_ids}) drops such
     * self-hits, which only arise in datasets whose queries are also corpus documents (ArguAna,
     * Quora) and would otherwise count as wrong answers at rank 1.
     */
    static List<String> documentIds(List<SearchHit> hits, String queryId) {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (SearchHit hit : hits) {
            if (!hit.documentId().equals(queryId)) {
                ids.add(hit.documentId());
            }
        }
        return List.copyOf(ids);
    }
}
