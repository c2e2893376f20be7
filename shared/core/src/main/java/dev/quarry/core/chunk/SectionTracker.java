package dev.quarry.core.chunk;

import dev.quarry.model.LineKinds;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Follows the headings of a document line by line, so every passage can say where it sits: the part
 * of the filing ("Item 8. Financial Statements"), the heading above it ("CONSOLIDATED BALANCE
 * SHEETS"), a sub-heading inside a table ("LIABILITIES AND SHAREHOLDERS' EQUITY"), and the table's
 * column headers ("(Dollars in millions) 2019 2018"). A row of a statement that lands in a chunk of
 * its own still knows its statement and its years.
 *
 * <p>A heading after prose starts a new section. A heading met between table rows is a sub-heading of
 * the current one, unless column headers follow it directly: then it titles a new table.
 */
final class SectionTracker {
    /** Longest section path kept: it is embedded with the passage and must leave room for it. */
    static final int MAX_CHARS = 200;
    /** A line of at least this many words that is neither a row nor a heading is prose. */
    private static final int PROSE_WORDS = 8;
    private static final int MAX_GROUP_CHARS = 120;
    private static final Pattern FILING_PART = Pattern.compile("(?i)^(?:item|part)\\s+[0-9ivx]+[a-z]?\\b.*");

    private String filingPart;
    private String root;
    private String sub;
    private String columns;
    private boolean previousWasHeading;
    private boolean proseSinceHeading = true;
    private boolean rowsSinceHeading;
    private boolean opened;
    private boolean continued;
    private boolean heading;

    /** Reads one line of text (in reading order) and returns the section path that applies to it. */
    String accept(String line) {
        String s = line.strip().replaceAll("\\s+", " ");
        opened = false;
        heading = false;
        if (s.isEmpty()) {
            return current();
        }
        if (LineKinds.isHeading(s)) {
            heading = true;
            String before = filingPart + "|" + root;
            continued = previousWasHeading;
            heading(s);
            opened = !previousWasHeading && !before.equals(filingPart + "|" + root);
            previousWasHeading = true;
            return current();
        }
        previousWasHeading = false;
        continued = false;
        if (LineKinds.isColumnHeader(s)) {
            columns = s;
            if (sub != null && !rowsSinceHeading) {
                root = sub; // the heading right above column headers titles a new table
                sub = null;
                opened = true;
            }
            rowsSinceHeading = true;
        } else if (LineKinds.isRow(s)) {
            rowsSinceHeading = true;
        } else if (s.split(" ").length >= PROSE_WORDS) {
            proseSinceHeading = true;
            columns = null;
        }
        return current();
    }

    private void heading(String s) {
        if (FILING_PART.matcher(s).matches()) {
            filingPart = clip(s);
            root = null;
            sub = null;
            columns = null;
        } else if (previousWasHeading) {
            if (sub != null) {
                sub = clip(sub + " " + s);
            } else {
                root = clip(root == null ? s : root + " " + s);
            }
        } else if (proseSinceHeading || root == null) {
            root = clip(s);
            sub = null;
            columns = null;
        } else {
            sub = clip(s);
        }
        proseSinceHeading = false;
        rowsSinceHeading = false;
    }

    /**
     * Whether the line last accepted opened a new section (a part of the filing, or a heading after
     * prose or above a new table): a good place for a chunk to start.
     */
    boolean opened() {
        return opened;
    }

    /** Whether the line last accepted was a heading. */
    boolean heading() {
        return heading;
    }

    /** Whether the line last accepted was a heading continuing the heading line before it. */
    boolean continuedHeading() {
        return continued;
    }

    String current() {
        List<String> parts = new ArrayList<>(4);
        for (String p : new String[] {filingPart, root, sub, columns}) {
            if (p != null) {
                parts.add(p);
            }
        }
        String s = String.join(" | ", parts);
        return s.length() > MAX_CHARS ? s.substring(0, MAX_CHARS) : s;
    }

    private static String clip(String s) {
        return s.length() > MAX_GROUP_CHARS ? s.substring(0, MAX_GROUP_CHARS) : s;
    }
}
