package dev.quarry.ai.answer;

import dev.quarry.model.ChunkSpan;
import dev.quarry.model.SearchHit;

import java.util.ArrayList;
import java.util.List;

/** Search hits built the way the chunker builds them: page texts joined by one space, one span per page. */
final class Passages {
    /** The second page of the warranty passage: a claim the answer tests cite. */
    static final String LABOUR = "Labour is covered for six months after the repair.";
    /** A two-page passage of warranty.pdf (pages 3 and 4). */
    static final SearchHit WARRANTY = chunk("c-warranty", "0123456789abcdef01234567", "warranty.pdf", 3,
            "The warranty covers parts for two years from the date of purchase.", LABOUR);
    /** A one-page passage of returns.pdf (page 7). */
    static final SearchHit RETURNS = chunk("c-returns", "89abcdef0123456789abcdef", "returns.pdf", 7,
            "Unused items may be returned within 30 days for a full refund.");

    private Passages() {
    }

    /**
     * A chunk of {@code name} starting on {@code firstPage}, one page text per argument. Spans start at
     * offset 80 of their page, as if the chunk began mid-page, so page offsets and chunk offsets differ.
     */
    static SearchHit chunk(String chunkId, String documentId, String name, int firstPage, String... pageTexts) {
        List<ChunkSpan> spans = new ArrayList<>();
        for (int i = 0; i < pageTexts.length; i++) {
            spans.add(new ChunkSpan(firstPage + i, 80, 80 + pageTexts[i].length()));
        }
        return new SearchHit(chunkId, documentId, name, firstPage, firstPage + pageTexts.length - 1,
                String.join(" ", pageTexts), spans, 1.0);
    }
}
