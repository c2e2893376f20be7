package dev.quarry.core.extract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Hostile PDFs, written byte by byte with a correct cross-reference table so that a parser meets the hostile part and
 * not a broken file: a decompression bomb that draws a character per operator, a document that claims a million pages,
 * objects nested far deeper than any real file, a page tree with a hundred thousand leaves, and a page tree that
 * contains itself.
 */
final class PdfBombs {

    private PdfBombs() {
    }

    /** One page whose content stream is small compressed and decodes to {@code decodedMiB} MiB of "(A) Tj" operators. */
    static Path textBomb(Path dir, int decodedMiB) throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(compressed, new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
            z.write("BT /F1 1 Tf 0 0 Td\n".getBytes(StandardCharsets.US_ASCII));
            byte[] block = new byte[1 << 20];
            byte[] op = "(A) Tj ".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i + op.length <= block.length; i += op.length) {
                System.arraycopy(op, 0, block, i, op.length);
            }
            for (int i = block.length - block.length % op.length; i < block.length; i++) {
                block[i] = ' ';
            }
            for (int i = 0; i < decodedMiB; i++) {
                z.write(block);
            }
            z.write("\nET\n".getBytes(StandardCharsets.US_ASCII));
        }
        Writer w = new Writer();
        w.object("<< /Type /Catalog /Pages 2 0 R >>");
        w.object("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        w.object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
                + " /Resources << /Font << /F1 5 0 R >> >> >>");
        w.stream("<< /Length " + compressed.size() + " /Filter /FlateDecode >>", compressed.toByteArray());
        w.object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        return w.save(dir.resolve("text-bomb-" + decodedMiB + "MiB.pdf"));
    }

    /** A page tree whose root says it holds 1,000,000 pages; it holds one. */
    static Path millionPages(Path dir) throws IOException {
        Writer w = new Writer();
        w.object("<< /Type /Catalog /Pages 2 0 R >>");
        w.object("<< /Type /Pages /Kids [3 0 R] /Count 1000000 >>");
        w.object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>");
        byte[] text = "BT /F1 12 Tf 72 700 Td (One real page.) Tj ET".getBytes(StandardCharsets.US_ASCII);
        w.stream("<< /Length " + text.length + " >>", text);
        w.object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        return w.save(dir.resolve("million-pages.pdf"));
    }

    /** The page's resources hold an array nested {@code depth} levels deep. */
    static Path deepNesting(Path dir, int depth) throws IOException {
        Writer w = new Writer();
        w.object("<< /Type /Catalog /Pages 2 0 R >>");
        w.object("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        w.object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
                + " /Resources << /Font << /F1 5 0 R >> /Deep 6 0 R >> >>");
        byte[] text = "BT /F1 12 Tf 72 700 Td (Nested deep below.) Tj ET".getBytes(StandardCharsets.US_ASCII);
        w.stream("<< /Length " + text.length + " >>", text);
        w.object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        byte[] open = new byte[depth];
        byte[] close = new byte[depth];
        Arrays.fill(open, (byte) '[');
        Arrays.fill(close, (byte) ']');
        w.object(new String(open, StandardCharsets.US_ASCII) + new String(close, StandardCharsets.US_ASCII));
        return w.save(dir.resolve("deep-nesting-" + depth + ".pdf"));
    }

    /** The page's content stream hands an operator an array nested {@code depth} levels deep. */
    static Path deepContentNesting(Path dir, int depth) throws IOException {
        Writer w = new Writer();
        w.object("<< /Type /Catalog /Pages 2 0 R >>");
        w.object("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        w.object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>");
        String nested = "[".repeat(depth) + "]".repeat(depth);
        byte[] text = ("BT /F1 12 Tf 72 700 Td (Before the nest.) Tj " + nested + " TJ (After it.) Tj ET")
                .getBytes(StandardCharsets.US_ASCII);
        w.stream("<< /Length " + text.length + " >>", text);
        w.object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        return w.save(dir.resolve("deep-content-nesting-" + depth + ".pdf"));
    }

    /** A page tree of {@code pages} leaves under one node, all sharing one content stream; the root's count is honest. */
    static Path hugePageTree(Path dir, int pages) throws IOException {
        Writer w = new Writer();
        int first = 5;
        StringBuilder kids = new StringBuilder();
        for (int i = 0; i < pages; i++) {
            kids.append(first + i).append(" 0 R ");
        }
        w.object("<< /Type /Catalog /Pages 2 0 R >>");
        w.object("<< /Type /Pages /Kids [" + kids + "] /Count " + pages + " >>");
        byte[] text = "BT /F1 12 Tf 72 700 Td (A page of a huge tree.) Tj ET".getBytes(StandardCharsets.US_ASCII);
        w.stream("<< /Length " + text.length + " >>", text);
        w.object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        for (int i = 0; i < pages; i++) {
            w.object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>");
        }
        return w.save(dir.resolve("huge-page-tree-" + pages + ".pdf"));
    }

    /** A page tree node that lists itself among its kids, beside one real page, and claims two pages. */
    static Path cyclicPageTree(Path dir) throws IOException {
        Writer w = new Writer();
        w.object("<< /Type /Catalog /Pages 2 0 R >>");
        w.object("<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>");
        w.object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>");
        byte[] text = "BT /F1 12 Tf 72 700 Td (A page beside a loop.) Tj ET".getBytes(StandardCharsets.US_ASCII);
        w.stream("<< /Length " + text.length + " >>", text);
        w.object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        return w.save(dir.resolve("cyclic-page-tree.pdf"));
    }

    /** Writes numbered objects and the cross-reference table that points at them. */
    private static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final List<Integer> offsets = new ArrayList<>();

        Writer() {
            ascii("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n");
        }

        void object(String body) {
            offsets.add(out.size());
            ascii((offsets.size()) + " 0 obj\n" + body + "\nendobj\n");
        }

        void stream(String dictionary, byte[] data) {
            offsets.add(out.size());
            ascii((offsets.size()) + " 0 obj\n" + dictionary + "\nstream\n");
            out.writeBytes(data);
            ascii("\nendstream\nendobj\n");
        }

        Path save(Path file) throws IOException {
            int xref = out.size();
            StringBuilder table = new StringBuilder("xref\n0 " + (offsets.size() + 1) + "\n0000000000 65535 f \n");
            for (int offset : offsets) {
                table.append(String.format("%010d 00000 n \n", offset));
            }
            table.append("trailer\n<< /Size ").append(offsets.size() + 1).append(" /Root 1 0 R >>\nstartxref\n").append(xref)
                    .append("\n%%EOF\n");
            ascii(table.toString());
            try (OutputStream stream = Files.newOutputStream(file)) {
                out.writeTo(stream);
            }
            return file;
        }

        private void ascii(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
        }
    }
}
