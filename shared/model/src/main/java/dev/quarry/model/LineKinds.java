package dev.quarry.model;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a line of page text is, judged from the line alone: a table row (a label followed by its
 * values, or a row of values such as a statement's column headers), a heading, or running prose.
 *
 * <p>It lives beside the records because extraction, chunking and answering must agree on it.
 *
 * <p>Financial statements are tables, and PDFBox gives each row as one line in reading order. Rows
 * and headings keep their own line through cleaning and chunking, so a row's label stays next to its
 * values and a chunk can be told which statement and which columns (years) it belongs to. The rules
 * look at one line only, so that cleaning stays idempotent.
 */
public final class LineKinds {
    /** A value cell: 1,234  (1,234)  $  12.5%  —  2019  -3.4. */
    private static final Pattern CELL = Pattern.compile("[($]*[-−+]?\\$?\\d(?:[\\d,]*\\d)?(?:\\.\\d+)?\\)?%?\\)?|[$€£%—–-]|n/?m|N/?M|NM");
    private static final Pattern MONEY_LIKE = Pattern.compile(".*(?:\\d,\\d{3}|\\d\\.\\d|[()$%]).*|[—–-]");
    private static final Pattern YEAR = Pattern.compile("\\(?(?:19|20)\\d{2}\\)?");
    private static final Pattern NUMBERED_HEADING = Pattern.compile(
            "(?i)^(?:item|part|note|section|schedule|exhibit|article)\\s+[0-9ivxlc]+[a-z]?\\b.*");
    /** "Years Ended", "As of December 31": captions over a table's columns, not titles. */
    private static final Pattern PERIOD_CAPTION = Pattern.compile(
            "(?i).*\\b(?:ended|ending|as of|months|weeks|january|february|march|april|june|july|august|september|october"
            + "|november|december)\\b.*");
    private static final int MAX_HEADING_CHARS = 90;
    private static final int MAX_TITLE_WORDS = 10;

    private LineKinds() {
    }

    /**
     * A table row: it ends with at least one value cell, and either it is made of cells only, or it
     * ends with two or more cells, or its last cell looks like an amount (grouped digits, a decimal,
     * a currency sign, a percentage, parentheses or a dash for zero). "fiscal 2019" is prose.
     */
    public static boolean isRow(String line) {
        String[] tokens = line.strip().split("\\s+");
        if (tokens.length == 0 || tokens[0].isEmpty()) {
            return false;
        }
        int cells = 0;
        for (int i = tokens.length - 1; i >= 0 && CELL.matcher(tokens[i]).matches(); i--) {
            cells++;
        }
        if (cells == 0 || isSymbolOnly(tokens[tokens.length - 1]) && cells == tokens.length) {
            return false;
        }
        return cells == tokens.length || cells >= 2 || MONEY_LIKE.matcher(tokens[tokens.length - 1]).matches();
    }

    /** A row whose cells are all years (or the labels around them): a statement's column headers. */
    public static boolean isColumnHeader(String line) {
        if (!isRow(line)) {
            return false;
        }
        String[] tokens = line.strip().split("\\s+");
        int years = 0;
        for (int i = tokens.length - 1; i >= 0; i--) {
            if (YEAR.matcher(tokens[i]).matches()) {
                years++;
            } else if (CELL.matcher(tokens[i]).matches()) {
                return false;
            } else {
                break;
            }
        }
        return years >= 1;
    }

    /**
     * A heading: a short line that is numbered like a part of a filing ("Item 7.", "Note 3"), written
     * in capitals ("CONSOLIDATED BALANCE SHEETS"), or in title case without a sentence's end
     * ("Consolidated Statements of Cash Flows").
     */
    public static boolean isHeading(String line) {
        String s = line.strip();
        if (s.length() < 3 || s.length() > MAX_HEADING_CHARS || isRow(s)) {
            return false;
        }
        char last = s.charAt(s.length() - 1);
        if (last == ',' || last == ';') {
            return false;
        }
        if (NUMBERED_HEADING.matcher(s).matches()) {
            return true;
        }
        if (PERIOD_CAPTION.matcher(s).matches()) {
            return false;
        }
        int letters = 0;
        int upper = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLetter(c)) {
                letters++;
                if (Character.isUpperCase(c)) {
                    upper++;
                }
            }
        }
        if (letters < 4) {
            return false;
        }
        if (upper >= 0.8 * letters) {
            return true;
        }
        return last != '.' && last != ':' && isTitleCase(s);
    }

    private static boolean isTitleCase(String s) {
        String[] words = s.split("\\s+");
        if (words.length < 2 || words.length > MAX_TITLE_WORDS || !Character.isUpperCase(s.charAt(0))) {
            return false;
        }
        for (String w : words) {
            String letters = w.replaceAll("[^\\p{L}]", "");
            if (letters.length() >= 4 && !Character.isUpperCase(letters.charAt(0))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSymbolOnly(String token) {
        return token.length() == 1 && !Character.isDigit(token.charAt(0));
    }

    /** Lower-cased, for comparisons that should not depend on the case a heading was set in. */
    public static String key(String line) {
        return line.strip().toLowerCase(Locale.ROOT);
    }
}
