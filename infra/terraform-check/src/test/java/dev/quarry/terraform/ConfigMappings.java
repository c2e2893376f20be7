package dev.quarry.terraform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The config properties declared by {@code @ConfigMapping} interfaces in Java sources, read from
 * the source text (the application modules are not on this module's classpath, and must not
 * be: this check has to run without building them).
 *
 * <p>A property is the mapping's prefix plus each method name in kebab case
 * ({@code maxTokens()} under {@code quarry.chunking} is {@code quarry.chunking.max-tokens});
 * a method returning another interface (nested or not) is a group and adds its name as a
 * segment; {@code @WithName} replaces the name and {@code @WithParentName} removes the segment.
 */
final class ConfigMappings {

    private static final Pattern INTERFACE = Pattern.compile("(?<!@)\\binterface\\s+(\\w+)[^{;]*\\{");
    private static final Pattern CONFIG_MAPPING = Pattern.compile("@(?:[\\w.]*\\.)?ConfigMapping\\s*\\(([^)]*)\\)");
    private static final Pattern PREFIX = Pattern.compile("prefix\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern METHOD = Pattern.compile("(?s)^(.*?)([\\w.]+(?:\\s*<.*>)?(?:\\[])?)\\s+(\\w+)\\s*\\(\\s*\\)\\s*$");
    private static final Pattern WITH_NAME = Pattern.compile("@(?:[\\w.]*\\.)?WithName\\s*\\(\\s*\"([^\"]+)\"\\s*\\)");
    private static final Pattern WITH_PARENT_NAME = Pattern.compile("@(?:[\\w.]*\\.)?WithParentName\\b");
    private static final Pattern WRAPPER = Pattern.compile("^(?:java\\.util\\.)?(?:Optional|List|Set|Collection)\\s*<\\s*(.+)\\s*>$");

    private record Member(String annotations, String type, String name) {}

    private record Interface(String name, String prefix, List<Member> members) {}

    private ConfigMappings() {}

    /** Properties declared by every {@code @ConfigMapping} under the given directories (build output skipped). */
    static Set<String> properties(List<Path> roots) {
        Map<String, String> sources = new LinkedHashMap<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.filter(p -> p.toString().endsWith(".java"))
                        .filter(p -> !p.toString().contains("/target/")).toList()) {
                    sources.put(path.toString(), Files.readString(path));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return properties(sources);
    }

    /** Properties declared in the given Java sources (name => text). */
    static Set<String> properties(Map<String, String> sources) {
        Map<String, Interface> interfaces = new LinkedHashMap<>();
        for (String source : sources.values()) {
            String code = withoutComments(source);
            Matcher matcher = INTERFACE.matcher(code);
            while (matcher.find()) {
                int bodyStart = matcher.end();
                int bodyEnd = matchingBrace(code, bodyStart - 1);
                String prefix = null;
                Matcher mapping = CONFIG_MAPPING.matcher(annotationsBefore(code, matcher.start()));
                if (mapping.find()) {
                    Matcher prefixMatcher = PREFIX.matcher(mapping.group(1));
                    prefix = prefixMatcher.find() ? prefixMatcher.group(1) : "";
                }
                interfaces.putIfAbsent(matcher.group(1),
                        new Interface(matcher.group(1), prefix, members(code.substring(bodyStart, bodyEnd))));
            }
        }
        Set<String> properties = new TreeSet<>();
        for (Interface mapping : interfaces.values()) {
            if (mapping.prefix() != null) {
                expand(mapping.prefix(), mapping, interfaces, properties, 0);
            }
        }
        return properties;
    }

    /** Quarkus' default naming: {@code maxTokens} => {@code max-tokens}, {@code modelURL} => {@code model-url}. */
    static String kebab(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                char previous = name.charAt(i - 1);
                boolean nextIsLower = i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
                if (!Character.isUpperCase(previous) || nextIsLower) {
                    out.append('-');
                }
            }
            out.append(Character.toLowerCase(c));
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    private static void expand(String prefix, Interface type, Map<String, Interface> interfaces, Set<String> properties, int depth) {
        if (depth > 10) {
            return;
        }
        for (Member member : type.members()) {
            Matcher withName = WITH_NAME.matcher(member.annotations());
            boolean parentName = WITH_PARENT_NAME.matcher(member.annotations()).find();
            String segment = withName.find() ? withName.group(1) : kebab(member.name());
            String path = parentName ? prefix : prefix.isEmpty() ? segment : prefix + "." + segment;
            Interface group = interfaces.get(simpleName(unwrap(member.type())));
            if (group != null) {
                expand(path, group, interfaces, properties, depth + 1);
            } else {
                properties.add(path);
            }
        }
    }

    /** Abstract, parameterless methods at the top level of an interface body. */
    private static List<Member> members(String body) {
        List<Member> members = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '"') {
                i = endOfString(body, i);
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
                if (depth == 0) {
                    start = i + 1; // a nested type or a default method ends here
                }
            } else if (c == ';' && depth == 0) {
                String declaration = body.substring(start, i).trim();
                start = i + 1;
                if (declaration.matches("(?s).*\\b(default|static)\\b.*")) {
                    continue;
                }
                Matcher method = METHOD.matcher(declaration);
                if (method.matches()) {
                    members.add(new Member(method.group(1), method.group(2).replaceAll("\\s+", ""), method.group(3)));
                }
            }
        }
        return members;
    }

    private static String unwrap(String type) {
        Matcher wrapper = WRAPPER.matcher(type);
        return wrapper.matches() ? wrapper.group(1) : type;
    }

    private static String simpleName(String type) {
        String raw = type.contains("<") ? type.substring(0, type.indexOf('<')) : type;
        return raw.substring(raw.lastIndexOf('.') + 1);
    }

    /** The text between the previous declaration's end and the interface keyword: its annotations and modifiers. */
    private static String annotationsBefore(String code, int keyword) {
        int i = keyword - 1;
        int parentheses = 0;
        while (i >= 0) {
            char c = code.charAt(i);
            if (c == ')') {
                parentheses++;
            } else if (c == '(') {
                parentheses--;
            } else if (parentheses == 0 && (c == ';' || c == '{' || c == '}')) {
                break;
            }
            i--;
        }
        return code.substring(i + 1, keyword);
    }

    private static int matchingBrace(String code, int open) {
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '"') {
                i = endOfString(code, i);
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return code.length();
    }

    private static int endOfString(String code, int quote) {
        if (code.startsWith("\"\"\"", quote)) {
            int end = code.indexOf("\"\"\"", quote + 3);
            return end < 0 ? code.length() : end + 2;
        }
        for (int i = quote + 1; i < code.length(); i++) {
            if (code.charAt(i) == '\\') {
                i++;
            } else if (code.charAt(i) == '"') {
                return i;
            }
        }
        return code.length();
    }

    private static String withoutComments(String source) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '"') {
                int end = endOfString(source, i);
                out.append(source, i, Math.min(end + 1, source.length()));
                i = end;
            } else if (c == '\'' && i + 2 < source.length()) {
                int end = source.charAt(i + 1) == '\\' ? source.indexOf('\'', i + 3) : i + 2;
                out.append(source, i, end + 1);
                i = end;
            } else if (source.startsWith("//", i)) {
                while (i < source.length() && source.charAt(i) != '\n') {
                    i++;
                }
                out.append('\n');
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 1;
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
