package dev.quarry.ai;

import dev.quarry.core.chunk.TokenCounter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Counts WordPiece tokens as the BERT uncased tokenizer that bge-small-en-v1.5 uses does (HuggingFace
 * {@code BertNormalizer} + {@code BertPreTokenizer} + {@code WordPiece}, the model's own vocabulary), without the
 * [CLS]/[SEP] specials. Pure Java, so the AWS build carries no native tokenizer and a native image needs only
 * the vocabulary resource. {@code BertTokenCounterTest} holds it to the HuggingFace tokenizer's counts on real PDFs.
 */
public final class BertTokenCounter implements TokenCounter {
    /** The vocabulary of bert-base-uncased, which bge-small-en-v1.5 shares (one token a line, line number = id). */
    public static final String VOCABULARY = "/dev/quarry/ai/bert-uncased-vocab.txt";
    private static final int MAX_CHARS_PER_WORD = 100;
    /** Special tokens are matched in the raw text before normalization, as the tokenizer's added vocabulary does. */
    private static final List<String> SPECIAL_TOKENS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");

    private final Set<String> vocabulary;

    public BertTokenCounter() {
        this(loadVocabulary());
    }

    BertTokenCounter(Set<String> vocabulary) {
        this.vocabulary = vocabulary;
    }

    @Override
    public int count(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        int tokens = 0;
        int from = 0;
        while (true) {
            int at = -1;
            String special = null;
            for (String s : SPECIAL_TOKENS) {
                int i = text.indexOf(s, from);
                if (i >= 0 && (at < 0 || i < at)) {
                    at = i;
                    special = s;
                }
            }
            if (special == null) {
                return tokens + countSegment(text.substring(from));
            }
            tokens += countSegment(text.substring(from, at)) + 1;
            from = at + special.length();
        }
    }

    private int countSegment(String raw) {
        String text = normalize(raw);
        int tokens = 0;
        int wordStart = -1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (isWhitespace(cp) || isPunctuation(cp)) {
                if (wordStart >= 0) {
                    tokens += wordPieces(text.substring(wordStart, i));
                    wordStart = -1;
                }
                if (!isWhitespace(cp)) {
                    tokens += wordPieces(text.substring(i, next));
                }
            } else if (wordStart < 0) {
                wordStart = i;
            }
            i = next;
        }
        if (wordStart >= 0) {
            tokens += wordPieces(text.substring(wordStart));
        }
        return tokens;
    }

    /** Greedy longest-match-first; a word with a piece outside the vocabulary is one [UNK]. */
    private int wordPieces(String word) {
        if (word.codePointCount(0, word.length()) > MAX_CHARS_PER_WORD) {
            return 1;
        }
        int pieces = 0;
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            boolean found = false;
            while (end > start) {
                String piece = start == 0 ? word.substring(start, end) : "##" + word.substring(start, end);
                if (vocabulary.contains(piece)) {
                    found = true;
                    break;
                }
                end = word.offsetByCodePoints(end, -1);
            }
            if (!found) {
                return 1;
            }
            pieces++;
            start = end;
        }
        return pieces;
    }

    /** BertNormalizer: clean text, pad CJK ideographs, strip accents (NFD without nonspacing marks), lowercase. */
    static String normalize(String text) {
        StringBuilder cleaned = new StringBuilder(text.length() + 16);
        boolean ascii = true;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                continue;
            }
            if (isWhitespace(cp)) {
                cleaned.append(' ');
            } else if (isChinese(cp)) {
                cleaned.append(' ').appendCodePoint(cp).append(' ');
                ascii = false;
            } else {
                cleaned.appendCodePoint(cp);
                ascii &= cp < 0x80;
            }
        }
        if (ascii) {
            return cleaned.toString().toLowerCase(Locale.ROOT);
        }
        String decomposed = Normalizer.normalize(cleaned, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); ) {
            int cp = decomposed.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.getType(cp) == Character.NON_SPACING_MARK) {
                continue;
            }
            if (cp < 0x80) {
                out.append((char) Character.toLowerCase(cp));
            } else {
                // Per character and without context, as the tokenizer lowercases (a final sigma stays σ).
                out.append(new String(Character.toChars(cp)).toLowerCase(Locale.ROOT));
            }
        }
        return out.toString();
    }

    /** Tab, newline and carriage return are whitespace here; every other Cc, Cf, Cn, Co and Cs character is dropped. */
    private static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.UNASSIGNED, Character.PRIVATE_USE, Character.SURROGATE -> true;
            default -> false;
        };
    }

    /** The Unicode White_Space property (as Rust's char::is_whitespace), which Java's isWhitespace does not match. */
    private static boolean isWhitespace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F
                || cp == 0x3000;
    }

    /** ASCII punctuation (symbols such as $ + < = > ^ ` | ~ included) or a Unicode punctuation category. */
    private static boolean isPunctuation(int cp) {
        if (cp < 0x80) {
            return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126);
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** The CJK ranges of the HuggingFace BertNormalizer. */
    private static boolean isChinese(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    static Set<String> loadVocabulary() {
        try (InputStream in = BertTokenCounter.class.getResourceAsStream(VOCABULARY)) {
            if (in == null) {
                throw new IllegalStateException("The WordPiece vocabulary " + VOCABULARY + " is missing from the classpath"
                        + " (a native image must include it: quarkus.native.resources.includes)");
            }
            Set<String> words = new HashSet<>(40_000);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                words.add(line);
            }
            return Set.copyOf(words);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the WordPiece vocabulary " + VOCABULARY, e);
        }
    }
}
