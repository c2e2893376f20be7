package dev.quarry.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A folder of PDFs with questions whose answers sit on known pages (the FinanceBench layout):
 * {@code pdfs/<doc_name>.pdf}, optional {@code manifest.tsv} ({@code doc_name pages bytes}, with a
 * header line) and {@code questions.jsonl}, one question per line. Only {@code id},
 * {@code doc_name}, {@code question} and {@code evidence_pages} are required; evidence pages are
 * 1-based, as a PDF viewer and the API's citations count them.
 */
final class PdfQaDataset {
    static final String QUESTIONS = "questions.jsonl";
    static final String PDFS = "pdfs";

    /** One question; {@code evidencePages} sorted, distinct and >= 1. Optional fields are null when absent. */
    record Question(String id, String docName, String company, String docType, String docPeriod, String questionType,
                    String question, String answer, List<Integer> evidencePages) {
        /** The file name the document is uploaded under, and the name the API reports for it. */
        String fileName() {
            return docName + ".pdf";
        }

        /** "unknown" when the dataset does not say, so breakdowns still add up. */
        String typeOrUnknown() {
            return questionType == null || questionType.isBlank() ? "unknown" : questionType;
        }
    }

    private final Path folder;
    private final List<Question> questions;
    private final List<Path> pdfs;
    private final Map<String, Integer> manifestPages;

    private PdfQaDataset(Path folder, List<Question> questions, List<Path> pdfs, Map<String, Integer> manifestPages) {
        this.folder = folder;
        this.questions = questions;
        this.pdfs = pdfs;
        this.manifestPages = manifestPages;
    }

    /** Whether {@code folder} has this layout ({@code questions.jsonl} and {@code pdfs/}), so {@code eval} can pick the tool. */
    static boolean recognises(Path folder) {
        return Files.isRegularFile(folder.resolve(QUESTIONS)) && Files.isDirectory(folder.resolve(PDFS));
    }

    /**
     * Reads the questions and lists the PDFs.
     *
     * @throws IllegalArgumentException when a file is missing, a line is malformed or lacks a required
     *                                  field, an id repeats, or a question names a document with no PDF
     */
    static PdfQaDataset load(Path folder) {
        if (!recognises(folder)) {
            throw new IllegalArgumentException(folder + " is not a PDF question folder: it needs " + QUESTIONS + " and " + PDFS + "/");
        }
        List<Path> pdfs;
        try (Stream<Path> files = Files.list(folder.resolve(PDFS))) {
            pdfs = files.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pdf"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to list " + folder.resolve(PDFS), e);
        }
        Set<String> pdfNames = new HashSet<>();
        pdfs.forEach(p -> pdfNames.add(p.getFileName().toString()));

        List<Question> questions = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Path file = folder.resolve(QUESTIONS);
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                Question q = parse(line, file.getFileName() + ":" + number);
                if (!ids.add(q.id())) {
                    throw new IllegalArgumentException(file.getFileName() + ":" + number + ": id '" + q.id() + "' appears twice");
                }
                if (!pdfNames.contains(q.fileName())) {
                    throw new IllegalArgumentException(file.getFileName() + ":" + number + ": question " + q.id() + " is about "
                            + q.docName() + " but there is no " + PDFS + "/" + q.fileName());
                }
                questions.add(q);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + file, e);
        }
        if (questions.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no question");
        }
        return new PdfQaDataset(folder, List.copyOf(questions), pdfs, readManifest(folder.resolve("manifest.tsv")));
    }

    /** One line of questions.jsonl; {@code where} is "file:line" for the messages. */
    static Question parse(String line, String where) {
        JsonNode q;
        try {
            q = BeirDataset.JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not a JSON object: " + e.getOriginalMessage(), e);
        }
        if (!q.isObject()) {
            throw new IllegalArgumentException(where + ": not a JSON object");
        }
        String id = required(q, "id", where);
        String docName = required(q, "doc_name", where);
        String question = required(q, "question", where);
        JsonNode pages = q.get("evidence_pages");
        if (pages == null || !pages.isArray() || pages.isEmpty()) {
            throw new IllegalArgumentException(where + ": 'evidence_pages' must be a non-empty array of 1-based page numbers");
        }
        TreeSet<Integer> evidence = new TreeSet<>();
        for (JsonNode p : pages) {
            if (!p.canConvertToInt() || !p.isIntegralNumber() || p.asInt() < 1) {
                throw new IllegalArgumentException(where + ": evidence page " + p + " is not a 1-based page number (the first page is 1)");
            }
            evidence.add(p.asInt());
        }
        return new Question(id, docName, optional(q, "company"), optional(q, "doc_type"), optional(q, "doc_period"),
                optional(q, "question_type"), question, optional(q, "answer"), List.copyOf(evidence));
    }

    private static String required(JsonNode q, String field, String where) {
        JsonNode v = q.get(field);
        if (v == null || v.isNull() || !v.isValueNode() || v.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": required field '" + field + "' is missing or empty");
        }
        return v.asText().strip();
    }

    private static String optional(JsonNode q, String field) {
        JsonNode v = q.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }

    /** doc_name -> pages from manifest.tsv, empty without one; only to compare with the pages the pipeline extracted. */
    static Map<String, Integer> readManifest(Path file) {
        Map<String, Integer> pages = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return pages;
        }
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            lines.skip(1).filter(l -> !l.isBlank()).forEach(l -> {
                String[] f = l.split("\t");
                if (f.length >= 2 && f[1].strip().matches("\\d+")) {
                    pages.put(f[0].strip(), Integer.parseInt(f[1].strip()));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + file, e);
        }
        return pages;
    }

    /** The folder's name, fit for report paths and tenant ids (lower case, [a-z0-9_-]). */
    String name() {
        return BeirDataset.indexSafe(folder.toAbsolutePath().normalize().getFileName().toString());
    }

    Path folder() {
        return folder;
    }

    List<Question> questions() {
        return questions;
    }

    /** Every PDF of the folder, sorted by name: documents no question is about stay in as distractors. */
    List<Path> pdfs() {
        return pdfs;
    }

    Map<String, Integer> manifestPages() {
        return manifestPages;
    }

    /** At most {@code max} questions, the same ones on every run, in file order (see {@link BeirDataset#sample(List, int)}). */
    List<Question> sample(int max) {
        return BeirDataset.sample(questions, max);
    }
}
