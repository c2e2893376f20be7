package dev.quarry.core.chunk;

import dev.quarry.core.Ids;
import dev.quarry.model.Chunk;
import dev.quarry.model.ChunkSpan;
import dev.quarry.model.PageText;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Cuts the pages of one part into token-bounded chunks that remember where their text came from.
 *
 * <p>Each line of a page's text (a paragraph, a table row, a heading: see
 * {@link dev.quarry.core.extract.TextCleaner}) is split into sentences, so a chunk boundary never
 * falls inside a table row that fits in a chunk; a sentence longer than {@code maxTokens} is split
 * between words (and, only for a single "word" that alone exceeds the limit, such as a long run of
 * CJK characters or a base64 blob, between characters). These units are packed greedily, in page
 * order across the whole part, until the next one would exceed {@code maxTokens}. The next chunk
 * starts with the trailing units of the previous one whose tokens sum to at most
 * {@code overlapTokens}, so a fact cut at a chunk boundary is still whole in one of the two.
 *
 * <p>A chunk's text is, for each page it covers, the page text from its first unit's start to its
 * last unit's end, and those page pieces are joined with a single space (see {@link Chunk}). Within
 * a page the original separators between units are kept, so a quote from the chunk text is verbatim
 * on the page that {@link ChunkPages#pageOfOffset} names. Chunk ids depend only on the source and
 * the ordinal, so re-chunking the same text yields the same ids. Each chunk also carries the
 * document's context and the section path (headings, a table's column headers) in effect where it
 * starts, for retrieval.
 */
public final class Chunker {
    private enum Level { WHITESPACE, WORD, GRAPHEME }

    /**
     * A chunk filled to at least this share of its budget (a few rows or a sentence) ends before a
     * heading that opens a new section, so a statement starts its own chunk with its title and column
     * headers instead of trailing the auditor's report before it.
     */
    static final double MIN_FILL_BEFORE_SECTION = 0.1;

    private final TokenCounter counter;
    private final ChunkingOptions options;

    public Chunker(TokenCounter counter, ChunkingOptions options) {
        this.counter = Objects.requireNonNull(counter, "counter");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Chunks {@code pages} (ascending page numbers) of one part. Pages without text contribute nothing;
     * ordinals start at 0 for every part.
     */
    public List<Chunk> chunk(ChunkSource source, List<PageText> pages) {
        Objects.requireNonNull(source, "source");
        List<Unit> units = new ArrayList<>();
        SectionTracker sections = new SectionTracker();
        int[] lastHeadingUnit = {-1};
        int previousPage = Integer.MIN_VALUE;
        for (PageText page : pages) {
            if (page.page() <= previousPage) {
                throw new IllegalArgumentException("Pages must be in ascending order; page " + page.page()
                        + " follows page " + previousPage);
            }
            previousPage = page.page();
            addUnits(page, units, sections, lastHeadingUnit);
        }
        return pack(source, units);
    }

    private List<Chunk> pack(ChunkSource source, List<Unit> units) {
        int max = options.maxTokens();
        List<Chunk> chunks = new ArrayList<>();
        int start = 0;
        int packedEnd = 0;
        while (packedEnd < units.size()) {
            // Overlap is a bonus: give it up, oldest first, when the next new unit would not fit after it.
            while (start < packedEnd && tokens(units, start, packedEnd) + units.get(packedEnd).tokens() > max) {
                start++;
            }
            int end = packedEnd + 1;
            int total = tokens(units, start, end);
            while (end < units.size() && total + units.get(end).tokens() <= max
                    && !(units.get(end).opensSection() && total >= max * MIN_FILL_BEFORE_SECTION)) {
                total += units.get(end).tokens();
                end++;
            }
            Chunk chunk = build(source, chunks.size(), units.subList(start, end));
            // Unit counts summed are an estimate; the whole text is what the model sees.
            while (chunk.tokenCount() > max && end - start > 1) {
                if (end - 1 > packedEnd) {
                    end--;
                } else {
                    start++;
                }
                chunk = build(source, chunks.size(), units.subList(start, end));
            }
            chunks.add(chunk);
            packedEnd = end;

            int next = end;
            int overlap = 0;
            // A new section starts a chunk of its own: no overlap from the section before it.
            boolean sectionBreak = end < units.size() && units.get(end).opensSection();
            while (!sectionBreak && next - 1 > start && overlap + units.get(next - 1).tokens() <= options.overlapTokens()) {
                overlap += units.get(next - 1).tokens();
                next--;
            }
            start = next;
        }
        return List.copyOf(chunks);
    }

    private static int tokens(List<Unit> units, int from, int to) {
        int sum = 0;
        for (int i = from; i < to; i++) {
            sum += units.get(i).tokens();
        }
        return sum;
    }

    private Chunk build(ChunkSource source, int ordinal, List<Unit> units) {
        List<ChunkSpan> spans = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < units.size()) {
            Unit first = units.get(i);
            int j = i;
            while (j + 1 < units.size() && units.get(j + 1).page() == first.page()) {
                j++;
            }
            Unit last = units.get(j);
            spans.add(new ChunkSpan(first.page(), first.start(), last.end()));
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(first.pageText(), first.start(), last.end());
            i = j + 1;
        }
        String chunkText = text.toString();
        return new Chunk(
                Ids.chunkId(source.documentId(), source.version(), source.part(), ordinal),
                source.tenant(), source.documentId(), source.version(), source.name(), source.part(), ordinal,
                spans.getFirst().page(), spans.getLast().page(),
                chunkText, List.copyOf(spans), counter.count(chunkText), contextOf(source),
                blankToNull(sectionOf(units)));
    }

    /**
     * The section of the chunk's first unit that is not a heading line: a chunk that starts with a
     * statement's title lines is under that whole title, not under its first line alone.
     */
    private static String sectionOf(List<Unit> units) {
        for (Unit u : units) {
            if (!u.heading()) {
                return u.section();
            }
        }
        return units.getLast().section();
    }

    private static String contextOf(ChunkSource source) {
        return source.context() == null ? null : blankToNull(source.context().summary());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** {@code lastHeadingUnit[0]}: the first unit of the last heading line that began a heading group. */
    private void addUnits(PageText page, List<Unit> units, SectionTracker sections, int[] lastHeadingUnit) {
        String text = page.text() == null ? "" : page.text();
        int paragraphStart = 0;
        while (paragraphStart < text.length()) {
            int paragraphEnd = text.indexOf('\n', paragraphStart);
            if (paragraphEnd < 0) {
                paragraphEnd = text.length();
            }
            // BreakIterator does not end a sentence at a blank line; a heading would run into the next sentence.
            if (paragraphEnd > paragraphStart) {
                String line = text.substring(paragraphStart, paragraphEnd);
                String section = sections.accept(line);
                int first = units.size();
                addSentences(page.page(), text, paragraphStart, paragraphEnd, section, units);
                if (sections.heading()) {
                    for (int u = first; u < units.size(); u++) {
                        units.set(u, units.get(u).asHeading());
                    }
                    if (!sections.continuedHeading()) {
                        lastHeadingUnit[0] = first;
                    }
                }
                if (sections.opened()) {
                    // a heading opened the section, or the column headers under it showed it titles a new table
                    int at = sections.heading() ? first : lastHeadingUnit[0];
                    if (at >= 0 && at < units.size()) {
                        units.set(at, units.get(at).opening());
                    }
                }
            }
            paragraphStart = paragraphEnd + 1;
        }
    }

    private void addSentences(int page, String text, int from, int to, String section, List<Unit> units) {
        BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
        sentences.setText(text.substring(from, to));
        int start = sentences.first();
        for (int end = sentences.next(); end != BreakIterator.DONE; start = end, end = sentences.next()) {
            int s = skipSpaceForward(text, from + start, from + end);
            int e = skipSpaceBackward(text, s, from + end);
            if (!readable(text, s, e)) {
                continue; // nothing a reader or a model can read: no chunk may be empty or whitespace-only
            }
            int tokens = counter.count(text.substring(s, e));
            if (tokens <= options.maxTokens()) {
                units.add(new Unit(page, text, s, e, tokens, section));
            } else {
                List<Unit> atoms = new ArrayList<>();
                addAtoms(page, text, s, e, Level.WHITESPACE, section, atoms);
                packAtoms(atoms, units);
            }
        }
    }

    /** Pieces of {@code [from, to)} that each fit in a chunk, found at the coarsest level that gets them there. */
    private void addAtoms(int page, String text, int from, int to, Level level, String section, List<Unit> atoms) {
        BreakIterator boundaries = switch (level) {
            case WHITESPACE, WORD -> BreakIterator.getWordInstance(Locale.ROOT);
            case GRAPHEME -> BreakIterator.getCharacterInstance(Locale.ROOT);
        };
        boundaries.setText(text.substring(from, to));
        int segmentStart = -1;
        int start = boundaries.first();
        for (int end = boundaries.next(); end != BreakIterator.DONE; start = end, end = boundaries.next()) {
            boolean space = isSpace(text.charAt(from + start));
            if (level == Level.WHITESPACE) {
                // merge word-iterator segments into whitespace-delimited runs
                if (!space && segmentStart < 0) {
                    segmentStart = from + start;
                }
                boolean runEnds = end == to - from || isSpace(text.charAt(from + end));
                if (!space && runEnds) {
                    addAtom(page, text, segmentStart, from + end, level, section, atoms);
                    segmentStart = -1;
                }
            } else if (!space) {
                addAtom(page, text, from + start, from + end, level, section, atoms);
            }
        }
    }

    private void addAtom(int page, String text, int from, int to, Level level, String section, List<Unit> atoms) {
        // A non-blank piece is at least one token in running text, whatever it counts alone.
        int tokens = Math.max(1, counter.count(text.substring(from, to)));
        if (tokens <= options.maxTokens() || level == Level.GRAPHEME) {
            atoms.add(new Unit(page, text, from, to, tokens, section));
        } else {
            addAtoms(page, text, from, to, level == Level.WHITESPACE ? Level.WORD : Level.GRAPHEME, section, atoms);
        }
    }

    private void packAtoms(List<Unit> atoms, List<Unit> units) {
        int max = options.maxTokens();
        int i = 0;
        while (i < atoms.size()) {
            int j = i + 1;
            int total = atoms.get(i).tokens();
            while (j < atoms.size() && total + atoms.get(j).tokens() <= max) {
                total += atoms.get(j).tokens();
                j++;
            }
            Unit first = atoms.get(i);
            int tokens = countRange(first, atoms.get(j - 1));
            if (tokens > max && j - i > 1) {
                // Summed atom counts underestimated the joined text (punctuation runs such as dot
                // leaders): binary-search the longest run that fits, O(log n) tokenizer calls.
                int lo = i + 1;
                int hi = j - 1;
                while (lo < hi) {
                    int mid = (lo + hi + 1) >>> 1;
                    if (countRange(first, atoms.get(mid - 1)) <= max) {
                        lo = mid;
                    } else {
                        hi = mid - 1;
                    }
                }
                j = lo;
                tokens = countRange(first, atoms.get(j - 1));
            }
            if (readable(first.pageText(), first.start(), atoms.get(j - 1).end())) {
                units.add(new Unit(first.page(), first.pageText(), first.start(), atoms.get(j - 1).end(), tokens, first.section()));
            }
            i = j;
        }
    }

    private int countRange(Unit first, Unit last) {
        return counter.count(first.pageText().substring(first.start(), last.end()));
    }

    private static int skipSpaceForward(String text, int from, int to) {
        while (from < to && isSpace(text.charAt(from))) {
            from++;
        }
        return from;
    }

    private static int skipSpaceBackward(String text, int from, int to) {
        while (to > from && isSpace(text.charAt(to - 1))) {
            to--;
        }
        return to;
    }

    /**
     * True when {@code [from, to)} holds a character a reader or an embedding model can read. White space,
     * control and format characters (zero-width spaces, soft hyphens, byte-order marks), private-use and
     * unassigned code points, lone combining marks and U+FFFD are dropped by WordPiece tokenizers, so a unit of
     * nothing else would be a chunk the model refuses ("Cannot embed empty or whitespace-only text").
     */
    static boolean readable(String text, int from, int to) {
        for (int i = from; i < to; ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (!Character.isWhitespace(c) && !Character.isSpaceChar(c) && c != 0xFFFD) {
                switch (Character.getType(c)) {
                    case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.UNASSIGNED, Character.SURROGATE,
                            Character.NON_SPACING_MARK, Character.ENCLOSING_MARK -> {
                    }
                    default -> {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    /**
     * A sentence or sentence piece: characters {@code [start, end)} of {@code pageText}, under the
     * headings {@code section}.
     */
    private record Unit(int page, String pageText, int start, int end, int tokens, String section, boolean opensSection,
            boolean heading) {
        Unit(int page, String pageText, int start, int end, int tokens, String section) {
            this(page, pageText, start, end, tokens, section, false, false);
        }

        Unit opening() {
            return new Unit(page, pageText, start, end, tokens, section, true, heading);
        }

        Unit asHeading() {
            return new Unit(page, pageText, start, end, tokens, section, opensSection, true);
        }
    }
}
