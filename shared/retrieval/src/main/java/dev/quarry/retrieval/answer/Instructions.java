package dev.quarry.retrieval.answer;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds text in a document that speaks to a language model instead of to a reader: orders to drop the rules
 * ("ignore all previous instructions"), fake system prompts and chat-template role markers, orders to leave out
 * citations, and requests for other tenants' or users' data. Such text stays document text: it is quoted to the
 * model inside a passage, never followed, never quoted as an extractive answer, and the response flags the passage.
 *
 * <p>The patterns are written to stay quiet on business and scientific prose (a filing's "instructions to Form
 * 10-K", "act as trustee", "system of internal control"): on the FinanceBench dev filings and the SciFact corpus they
 * flag no passage.
 */
public final class Instructions {
    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    private static final String GAP = "(?:[\\s,:;'\"-]+\\S+){0,4}?[\\s,:;'\"-]+";

    private record Rule(String what, Pattern pattern) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("an order to drop the model's instructions", Pattern.compile(
                    "\\b(?:ignore|disregard|forget|override|bypass|skip)\\b" + GAP
                            + "(?:previous|prior|preceding|above|earlier|system|original|all|any|your|the|these|those)\\b" + GAP + "?"
                            + "(?:instructions?|prompts?|rules|directions|guidelines|guardrails|constraints)\\b", FLAGS)),
            new Rule("a fake system prompt", Pattern.compile(
                    "\\b(?:new|updated|real|actual|hidden|secret)\\s+(?:system\\s+)?(?:instructions|prompt)\\b"
                            + "|\\bsystem\\s+prompt\\b|\\byou\\s+are\\s+now\\b|\\bfrom\\s+now\\s+on,?\\s+(?:you|the\\s+assistant)\\b"
                            + "|\\byour\\s+new\\s+(?:role|task|instructions)\\b", FLAGS)),
            new Rule("a chat-template role marker", Pattern.compile(
                    "<\\|[a-z_]{2,20}\\|>|\\[/?INST]|<<\\s*/?SYS\\s*>>|</?\\s*(?:system|assistant|instructions?)\\s*>"
                            + "|(?:^|\\n)\\s*#{1,4}\\s*(?:system|instructions?)\\b|(?:^|\\n)\\s*(?:system|assistant|human)\\s*:", FLAGS)),
            new Rule("an order to leave out citations", Pattern.compile(
                    "\\b(?:do\\s+not|don't|never|stop)\\s+(?:cite|citing|include|including|give|giving|show|showing|add|adding)\\b"
                            + "(?:\\s+\\S+){0,2}?\\s+(?:citations?|sources?|references|quotes)\\b"
                            + "|\\b(?:answer|respond|reply)\\s+without\\s+(?:any\\s+)?(?:citations?|sources?|references|quotes)\\b", FLAGS)),
            new Rule("a request for other tenants' data", Pattern.compile(
                    "\\b(?:reveal|show|list|print|output|return|include|give|send|dump|leak)\\b(?:\\s+\\S+){0,6}?\\s+"
                            + "(?:other|another|all|every)\\s+(?:tenants?|customers?'?|users?'?|accounts?)'?s?\\s+"
                            + "(?:data|documents|files|records|questions|secrets|passages)\\b", FLAGS)));

    private Instructions() {
    }

    /** What the text seems to tell the model, with the words that say it; empty for ordinary document text. */
    public static Optional<String> in(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        for (Rule rule : RULES) {
            Matcher m = rule.pattern().matcher(text);
            if (m.find()) {
                String words = m.group().strip().replaceAll("\\s+", " ");
                return Optional.of(rule.what() + ": \"" + (words.length() > 80 ? words.substring(0, 80) + "..." : words) + "\"");
            }
        }
        return Optional.empty();
    }

    /**
     * The text as it is quoted to the model inside a passage: delimiters that could close the passage early or open a
     * new chat turn are broken up (a space after the opening bracket), and nothing else changes, so a quote the model
     * copies from ordinary text still matches the passage word for word.
     */
    public static String quoted(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (!lower.contains("passage") && !lower.contains("<|") && !lower.contains("[inst") && !lower.contains("<<")) {
            return text;
        }
        return text.replaceAll("(?i)<(\\s*/?\\s*passage)", "< $1").replace("<|", "< |").replaceAll("(?i)\\[(/?INST])", "[ $1")
                .replace("<<", "< <");
    }
}
