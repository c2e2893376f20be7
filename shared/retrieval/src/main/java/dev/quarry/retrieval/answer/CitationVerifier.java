package dev.quarry.retrieval.answer;

import dev.quarry.model.ChunkSpan;
import dev.quarry.model.Citation;
import dev.quarry.model.SearchHit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The last gate before a citation reaches a user: a quote is kept only if it occurs verbatim in
 * the chunk it claims to come from, and its page is worked out from where it occurs, never taken
 * from whoever proposed the quote.
 */
public final class CitationVerifier {

    /**
     * A citation of {@code hit} for {@code quote}, or empty when the trimmed quote has no letter or
     * digit (a lone "." is in every chunk and proves nothing) or is not an exact substring of the
     * hit's text. Nothing else is normalized: no case folding, no
     * whitespace collapsing, since a paraphrase that only looks like a quote is what this rejects.
     * The page is the one on which the quote starts.
     */
    public Optional<Citation> verify(SearchHit hit, String quote) {
        if (hit == null || hit.text() == null || quote == null) {
            return Optional.empty();
        }
        String trimmed = quote.strip();
        if (trimmed.codePoints().noneMatch(Character::isLetterOrDigit)) {
            return Optional.empty();
        }
        int offset = hit.text().indexOf(trimmed);
        if (offset < 0) {
            return Optional.empty();
        }
        return Optional.of(new Citation(hit.documentId(), hit.name(), pageAt(hit, offset), trimmed, hit.chunkId()));
    }

    /**
     * Re-checks citations proposed elsewhere (for instance in a model's structured output) against
     * the hits they name by chunk id, dropping those whose chunk is not among {@code hits} or whose
     * quote fails {@link #verify}. Kept citations get the page computed here.
     */
    public List<Citation> verifyAll(List<Citation> claimed, List<SearchHit> hits) {
        Map<String, SearchHit> hitById = hits.stream()
                .collect(Collectors.toMap(SearchHit::chunkId, Function.identity(), (first, later) -> first));
        List<Citation> verified = new ArrayList<>();
        for (Citation citation : claimed) {
            SearchHit hit = hitById.get(citation.chunkId());
            if (hit != null) {
                verify(hit, citation.quote()).ifPresent(verified::add);
            }
        }
        return verified;
    }

    /**
     * The page of the character at {@code offset} of the chunk text. Span i covers offsets
     * {@code [pos, pos + (end - start))}, then one joining space; an offset on that space belongs to
     * the next span. Without spans the chunk's first page is the best answer we have.
     */
    static int pageAt(SearchHit hit, int offset) {
        List<ChunkSpan> spans = hit.spans();
        if (spans == null || spans.isEmpty()) {
            return hit.pageStart();
        }
        int pos = 0;
        for (ChunkSpan span : spans) {
            int length = span.end() - span.start();
            if (offset < pos + length) {
                return span.page();
            }
            pos += length + 1;
        }
        return spans.getLast().page();
    }
}
