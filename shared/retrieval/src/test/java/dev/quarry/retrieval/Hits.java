package dev.quarry.retrieval;

import dev.quarry.model.ChunkSpan;
import dev.quarry.model.SearchHit;

import java.util.ArrayList;
import java.util.List;

/** Builds search hits the way the chunker does: page texts joined by one space, one span per page. */
public final class Hits {

    private Hits() {
    }

    public static SearchHit hit(String chunkId, double score) {
        return hit(chunkId, score, "Text of " + chunkId + ".");
    }

    public static SearchHit hit(String chunkId, double score, String text) {
        return new SearchHit(chunkId, "doc-" + chunkId, chunkId + ".pdf", 1, 1, text,
                List.of(new ChunkSpan(1, 0, text.length())), score);
    }

    /**
     * A chunk of {@code name} starting on {@code firstPage}, one page text per argument. The spans
     * start at offset 120 of each page, as if the chunk began mid-page, to catch code that confuses
     * page offsets with chunk offsets.
     */
    public static SearchHit pages(String chunkId, String name, int firstPage, String... pageTexts) {
        List<ChunkSpan> spans = new ArrayList<>();
        for (int i = 0; i < pageTexts.length; i++) {
            spans.add(new ChunkSpan(firstPage + i, 120, 120 + pageTexts[i].length()));
        }
        return new SearchHit(chunkId, "doc-" + name, name, firstPage, firstPage + pageTexts.length - 1,
                String.join(" ", pageTexts), spans, 1.0);
    }
}
