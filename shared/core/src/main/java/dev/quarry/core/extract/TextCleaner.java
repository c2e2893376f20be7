package dev.quarry.core.extract;

import dev.quarry.model.LineKinds;

import java.lang.Character.UnicodeScript;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns raw PDF text into the canonical page text that chunk offsets and citations point into.
 *
 * <p>The result is NFKC-normalised (ligatures such as "ﬁ" become "fi"), free of control characters
 * other than {@code \n}, has line-end hyphenation joined, dot leaders removed, the wrapped lines of a
 * paragraph joined by one space (no space between two CJK characters) while table rows and headings
 * keep their own line, paragraphs separated by exactly {@code "\n\n"}, runs of
 * spaces collapsed to one and no leading or trailing whitespace. Cleaning is deterministic and
 * idempotent: {@code clean(clean(x)).equals(clean(x))}.
 */
public final class TextCleaner {
    /** Horizontal whitespace after NFKC: tab and the Unicode space separators. */
    private static final String HSPACE = "[\\t\\p{Zs}]";
    private static final Pattern LINE_BREAK = Pattern.compile("\\r\\n?|[\\u000B\\u0085\\u2028]");
    private static final Pattern PARAGRAPH_BREAK = Pattern.compile("[\\f\\u2029]");
    private static final Pattern SOFT_HYPHEN_AT_LINE_END = Pattern.compile("\\u00AD" + HSPACE + "*\\n" + HSPACE + "*");
    /** "exam-\nple": a word broken by hyphenation, so the hyphen goes. */
    private static final Pattern HYPHENATED_LINE_END =
            Pattern.compile("(?<=\\p{Ll})-" + HSPACE + "*\\n" + HSPACE + "*(?=\\p{Ll})");
    /** "SSH-\nforbindelse", "Jean-\nPaul", "1990-\n1995": a real hyphen that happened to end a line. */
    private static final Pattern HYPHEN_AT_LINE_END =
            Pattern.compile("(?<=[\\p{L}\\p{N}])-" + HSPACE + "*\\n" + HSPACE + "*(?=[\\p{L}\\p{N}])");
    private static final Pattern PARAGRAPH_SPLIT = Pattern.compile("\\n(?:" + HSPACE + "*\\n)+");
    private static final Pattern LINE_JOIN = Pattern.compile(HSPACE + "*\\n" + HSPACE + "*");
    /** "Total assets......... $ 11,726,472": dot leaders say nothing and cost a token per dot. */
    private static final Pattern DOT_LEADER = Pattern.compile("(?:\\." + HSPACE + "?){4,}");
    private static final Pattern SPACE_RUN = Pattern.compile(HSPACE + "+");

    private TextCleaner() {
    }

    public static String clean(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        String text = LINE_BREAK.matcher(raw).replaceAll("\n");
        text = PARAGRAPH_BREAK.matcher(text).replaceAll("\n\n");
        text = SOFT_HYPHEN_AT_LINE_END.matcher(text).replaceAll("");
        // Invisible characters go before NFKC, so a combining mark they separated from its base
        // composes now rather than on a second pass.
        text = dropInvisible(text);
        text = Normalizer.normalize(text, Normalizer.Form.NFKC);
        text = HYPHENATED_LINE_END.matcher(text).replaceAll("");
        text = HYPHEN_AT_LINE_END.matcher(text).replaceAll("-");

        List<String> paragraphs = new ArrayList<>();
        for (String paragraph : PARAGRAPH_SPLIT.split(text)) {
            String joined = SPACE_RUN.matcher(joinLines(DOT_LEADER.matcher(paragraph).replaceAll(" "))).replaceAll(" ");
            String trimmed = stripSpace(joined);
            if (!trimmed.isEmpty()) {
                paragraphs.add(trimmed);
            }
        }
        return String.join("\n\n", paragraphs);
    }

    private static String dropInvisible(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\t') {
                out.append(c);
            } else if (Character.isISOControl(c) || c == '\u00AD' || c == '\u200B' || c == '\u2060' || c == '\uFEFF') {
                continue;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (!Character.isSurrogate(c)) {
                out.append(c);
            }
            // a lone surrogate cannot be encoded as UTF-8 downstream; drop it
        }
        return out.toString();
    }

    /**
     * Joins the wrapped lines of a paragraph with one space, except around a table row or a heading
     * ({@link LineKinds}): those keep their own line, so a row's label stays with its values and the
     * chunker can cut between rows. The decision for two lines depends on those lines alone, and a line
     * kept apart is kept apart again on a second pass, so cleaning stays idempotent.
     */
    private static String joinLines(String paragraph) {
        String[] lines = LINE_JOIN.split(paragraph, -1);
        StringBuilder out = new StringBuilder(paragraph.length());
        boolean previousApart = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            boolean apart = LineKinds.isRow(line) || LineKinds.isHeading(line);
            if (i > 0 && !out.isEmpty() && !line.isEmpty()) {
                boolean cjkBoth = isCjk(out.codePointBefore(out.length())) && isCjk(line.codePointAt(0));
                if (apart || previousApart) {
                    out.append('\n');
                } else if (!cjkBoth) {
                    // Chinese and Japanese do not put spaces between words, so a wrapped line joins directly.
                    out.append(' ');
                }
            }
            out.append(line);
            if (!line.isEmpty()) {
                previousApart = apart;
            }
        }
        return out.toString();
    }

    private static boolean isCjk(int codePoint) {
        UnicodeScript script = UnicodeScript.of(codePoint);
        return script == UnicodeScript.HAN || script == UnicodeScript.HIRAGANA || script == UnicodeScript.KATAKANA
                || (codePoint >= 0x3000 && codePoint <= 0x303F);
    }

    private static String stripSpace(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean isSpace(char c) {
        return c == '\t' || Character.getType(c) == Character.SPACE_SEPARATOR;
    }
}
