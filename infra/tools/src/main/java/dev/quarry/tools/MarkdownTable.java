package dev.quarry.tools;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A GitHub-flavoured markdown table whose columns are padded to a common width, so it reads well
 * on a terminal as well as rendered. Columns whose every cell looks numeric are right-aligned.
 */
final class MarkdownTable {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    MarkdownTable(String... headers) {
        this.headers = List.of(headers);
    }

    MarkdownTable row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("Expected " + headers.size() + " cells, got " + cells.length);
        }
        rows.add(Arrays.stream(cells).map(MarkdownTable::cell).toList());
        return this;
    }

    /** Three decimals for fractions (metrics), one for other non-integral numbers, "n/a" for NaN or null. */
    static String cell(Object value) {
        if (value == null) {
            return "n/a";
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return "n/a";
            }
            return String.format(Locale.ROOT, Math.abs(d) <= 1.0 ? "%.3f" : "%.1f", d);
        }
        return String.valueOf(value).replace("|", "\\|").replace('\n', ' ');
    }

    String render() {
        int n = headers.size();
        int[] width = new int[n];
        boolean[] numeric = new boolean[n];
        for (int c = 0; c < n; c++) {
            width[c] = Math.max(3, headers.get(c).length());
            numeric[c] = !rows.isEmpty();
            for (List<String> row : rows) {
                width[c] = Math.max(width[c], row.get(c).length());
                numeric[c] &= looksNumeric(row.get(c));
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, width, numeric);
        out.append('|');
        for (int c = 0; c < n; c++) {
            out.append(numeric[c] ? " " + "-".repeat(width[c] - 1) + ": |" : " " + "-".repeat(width[c]) + " |");
        }
        out.append('\n');
        for (List<String> row : rows) {
            line(out, row, width, numeric);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] width, boolean[] numeric) {
        out.append('|');
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(width[c] - cell.length());
            out.append(' ').append(numeric[c] ? pad + cell : cell + pad).append(" |");
        }
        out.append('\n');
    }

    private static boolean looksNumeric(String cell) {
        return cell.isEmpty() || cell.equals("n/a") || cell.matches("[-+]?\\d[\\d,]*(\\.\\d+)?(x|%| ms)?");
    }

    @Override
    public String toString() {
        return render();
    }
}
