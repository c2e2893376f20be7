package dev.quarry.core.chunk;

import dev.quarry.model.Chunk;
import dev.quarry.model.ChunkSpan;
import java.util.List;

/**
 * Maps positions in {@link Chunk#text()} back to pages. The chunk text is the page text of each
 * span joined with one space, so span {@code k} occupies {@code len_k = end_k - start_k} characters
 * and the next span begins {@code len_k + 1} characters later. The joining space belongs to the
 * later span, where the text it precedes lives.
 */
public final class ChunkPages {
    private ChunkPages() {
    }

    /**
     * The page holding the character at {@code offset} of the chunk text.
     *
     * @throws IndexOutOfBoundsException when {@code offset} is outside {@code [0, text.length())}
     */
    public static int pageOfOffset(Chunk chunk, int offset) {
        return chunk.spans().get(locate(chunk, offset)[0]).page();
    }

    /** Where the character at {@code offset} of the chunk text sits in its page's text. */
    public static int pageTextOffset(Chunk chunk, int offset) {
        return locate(chunk, offset)[1];
    }

    /** {span index, offset in that span's page text}. */
    private static int[] locate(Chunk chunk, int offset) {
        if (offset < 0 || offset >= chunk.text().length()) {
            throw new IndexOutOfBoundsException(
                    "Offset " + offset + " outside chunk text of length " + chunk.text().length());
        }
        List<ChunkSpan> spans = chunk.spans();
        int spanStart = 0;
        for (int k = 0; k < spans.size(); k++) {
            ChunkSpan span = spans.get(k);
            int spanEnd = spanStart + (span.end() - span.start());
            if (offset < spanEnd) {
                return new int[] {k, span.start() + (offset - spanStart)};
            }
            if (offset == spanEnd && k + 1 < spans.size()) {
                return new int[] {k + 1, spans.get(k + 1).start()};
            }
            spanStart = spanEnd + 1;
        }
        throw new IllegalArgumentException("Chunk " + chunk.chunkId() + " has text longer than its spans");
    }
}
