package dev.quarry.terraform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the block structure of HCL native syntax and keeps every attribute's expression as
 * source text.
 *
 * <p>hcl4j parses the same files but evaluates expressions as it goes: interpolations lose
 * their references ({@code "${var.name}-${each.value.queue}"} becomes {@code "-each.value.queue"}),
 * function calls such as {@code merge(...)} become null and conditionals are decided with
 * unknown inputs. The wiring checks are about exactly those references (does the queue's
 * redrive policy read {@code maxReceiveCount} from the pipeline file?), so this reader keeps
 * the text. It understands strings with templates, heredocs and comments, which is all that
 * is needed to find where an expression ends; it does not evaluate anything.
 */
final class HclSource {

    /** A block ({@code resource "aws_sqs_queue" "stage" { ... }}) or, for the file itself, the root body. */
    record Block(String type, List<String> labels, Map<String, String> attributes, List<Block> blocks, int line) {

        List<Block> blocks(String blockType) {
            return blocks.stream().filter(block -> block.type.equals(blockType)).toList();
        }
    }

    private static final Pattern REFERENCE = Pattern.compile(
            "(?<![\\w.\\-])((?:data\\.)?[a-z][a-z0-9_]*\\.[a-zA-Z_][\\w-]*)");

    private final String text;
    private int pos;

    private HclSource(String text) {
        this.text = text;
    }

    /** Parses a whole file into a root block whose attributes and blocks are the file's top level. */
    static Block parse(String text) {
        HclSource source = new HclSource(text);
        Block root = new Block("", List.of(), new LinkedHashMap<>(), new ArrayList<>(), 1);
        source.body(root, true);
        return root;
    }

    /**
     * The expression without its string literal text and comments: only the code, including the
     * code inside {@code ${...}} interpolations. {@code "arn:${local.partition}:s3"} becomes
     * {@code " local.partition "}.
     */
    static String code(String expression) {
        StringBuilder out = new StringBuilder();
        new HclSource(expression).copyCode(out, -1);
        return out.toString();
    }

    /** Every {@code x.y} reference in the code of an expression, e.g. {@code var.name}, {@code aws_sqs_queue.stage}, {@code data.aws_region.current}. */
    static List<String> references(String expression) {
        List<String> references = new ArrayList<>();
        Matcher matcher = REFERENCE.matcher(code(expression));
        while (matcher.find()) {
            references.add(matcher.group(1));
        }
        return references;
    }

    /** The items of a list expression {@code [a, b, c]}, each as source text; fails for anything else. */
    static List<String> listItems(String expression) {
        String trimmed = expression.trim();
        if (!trimmed.startsWith("[") || !trimmed.endsWith("]")) {
            throw new IllegalArgumentException("Not a list expression: " + expression);
        }
        HclSource source = new HclSource(trimmed.substring(1, trimmed.length() - 1));
        List<String> items = new ArrayList<>();
        int start = 0;
        int depth = 0;
        while (source.pos < source.text.length()) {
            char c = source.text.charAt(source.pos);
            if (c == '"') {
                source.skipString();
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                items.add(source.text.substring(start, source.pos).trim());
                start = source.pos + 1;
            }
            source.pos++;
        }
        String last = source.text.substring(start).trim();
        if (!last.isEmpty()) {
            items.add(last);
        }
        return items;
    }

    /** The value of a string literal without templates, e.g. {@code "\"GET /v1/health\""} gives {@code GET /v1/health}; null if the expression is anything else. */
    static String stringLiteral(String expression) {
        String trimmed = expression.trim();
        if (trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")
                && !trimmed.contains("${") && !trimmed.contains("%{")) {
            String inner = trimmed.substring(1, trimmed.length() - 1);
            if (!inner.replace("\\\"", "").contains("\"")) {
                return inner.replace("\\\"", "\"").replace("\\\\", "\\");
            }
        }
        return null;
    }

    private void body(Block block, boolean topLevel) {
        while (true) {
            skipSpaceAndComments(true);
            if (pos >= text.length()) {
                if (!topLevel) {
                    throw error("Unclosed block " + block.type + " " + block.labels);
                }
                return;
            }
            char c = text.charAt(pos);
            if (c == '}') {
                if (topLevel) {
                    throw error("Unexpected '}'");
                }
                pos++;
                return;
            }
            int line = line();
            String name = identifier();
            skipSpaceAndComments(false);
            if (peek('=') && !peek("==")) {
                pos++;
                block.attributes.put(name, expression());
                continue;
            }
            List<String> labels = new ArrayList<>();
            while (true) {
                skipSpaceAndComments(false);
                if (peek('"')) {
                    int start = pos;
                    skipString();
                    labels.add(stringLiteral(text.substring(start, pos)));
                } else if (peek('{')) {
                    pos++;
                    break;
                } else {
                    labels.add(identifier());
                }
            }
            Block child = new Block(name, List.copyOf(labels), new LinkedHashMap<>(), new ArrayList<>(), line);
            body(child, false);
            block.blocks.add(child);
        }
    }

    /** From after '=' to the end of the expression: a newline, a comment or the enclosing '}' outside any brackets. */
    private String expression() {
        int start = pos;
        int depth = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"') {
                skipString();
                continue;
            }
            if (peek("<<") && isHeredocStart()) {
                skipHeredoc();
                continue;
            }
            if (c == '#' || peek("//")) {
                if (depth == 0) {
                    String expression = text.substring(start, pos).trim();
                    skipToEndOfLine();
                    return expression;
                }
                skipToEndOfLine();
                continue;
            }
            if (peek("/*")) {
                skipBlockComment();
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (c == '\n' && depth == 0) {
                break;
            }
            pos++;
        }
        return text.substring(start, pos).trim();
    }

    /** Copies code (not string literal text, not comments) until the '}' closing depth {@code stopDepth}, or to the end when -1. */
    private void copyCode(StringBuilder out, int stopDepth) {
        int depth = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"') {
                copyStringCode(out);
                continue;
            }
            if (peek("<<") && isHeredocStart()) {
                skipHeredoc();
                out.append(' ');
                continue;
            }
            if (c == '#' || peek("//")) {
                skipToEndOfLine();
                continue;
            }
            if (peek("/*")) {
                skipBlockComment();
                continue;
            }
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (depth == stopDepth) {
                    pos++;
                    return;
                }
                depth--;
            }
            out.append(c);
            pos++;
        }
    }

    private void copyStringCode(StringBuilder out) {
        pos++;
        out.append(' ');
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\\') {
                pos += 2;
            } else if (c == '"') {
                pos++;
                out.append(' ');
                return;
            } else if (peek("$${") || peek("%%{")) {
                pos += 3;
            } else if (peek("${") || peek("%{")) {
                pos += 2;
                out.append(" (");
                copyCode(out, 0);
                out.append(") ");
            } else {
                pos++;
            }
        }
    }

    private void skipString() {
        pos++;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\\') {
                pos += 2;
            } else if (c == '"') {
                pos++;
                return;
            } else if (peek("$${") || peek("%%{")) {
                pos += 3;
            } else if (peek("${") || peek("%{")) {
                pos += 2;
                skipTemplate();
            } else {
                pos++;
            }
        }
        throw error("Unterminated string");
    }

    private void skipTemplate() {
        int depth = 1;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"') {
                skipString();
                continue;
            }
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                pos++;
                return;
            }
            pos++;
        }
        throw error("Unterminated template interpolation");
    }

    private boolean isHeredocStart() {
        int i = pos + 2;
        if (i < text.length() && text.charAt(i) == '-') {
            i++;
        }
        return i < text.length() && Character.isLetter(text.charAt(i));
    }

    private void skipHeredoc() {
        pos += 2;
        if (peek('-')) {
            pos++;
        }
        String marker = identifier();
        skipToEndOfLine();
        while (pos < text.length()) {
            int end = text.indexOf('\n', pos);
            String line = end < 0 ? text.substring(pos) : text.substring(pos, end);
            pos = end < 0 ? text.length() : end;
            if (line.trim().equals(marker)) {
                return;
            }
            pos++;
        }
        throw error("Unterminated heredoc " + marker);
    }

    private void skipSpaceAndComments(boolean newlines) {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\r' || (newlines && c == '\n')) {
                pos++;
            } else if (newlines && (c == '#' || peek("//"))) {
                skipToEndOfLine();
            } else if (peek("/*")) {
                skipBlockComment();
            } else {
                return;
            }
        }
    }

    private void skipToEndOfLine() {
        while (pos < text.length() && text.charAt(pos) != '\n') {
            pos++;
        }
    }

    private void skipBlockComment() {
        int end = text.indexOf("*/", pos + 2);
        if (end < 0) {
            throw error("Unterminated comment");
        }
        pos = end + 2;
    }

    private String identifier() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_' || text.charAt(pos) == '-')) {
            pos++;
        }
        if (start == pos) {
            throw error("Expected an identifier");
        }
        return text.substring(start, pos);
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private boolean peek(String s) {
        return text.startsWith(s, pos);
    }

    private int line() {
        int line = 1;
        for (int i = 0; i < pos && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException(message + " at line " + line());
    }
}
