package dev.quarry.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.core.extract.TextCleaner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * One split of a BEIR-format folder: {@code corpus.jsonl} ({@code _id}, {@code title}, {@code text}),
 * {@code queries.jsonl} or {@code queries.<split>.jsonl} ({@code _id}, {@code text}) and
 * {@code qrels/<split>.tsv} ({@code query-id corpus-id score}, with a header line).
 *
 * <p>Queries and judgments are held in memory; the corpus is streamed, so a large one costs no heap.
 */
final class BeirDataset {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A corpus document. */
    record Doc(String id, String title, String text) {
        /** The text Quarry indexes for it: title, blank line, body, through the product's cleaner. */
        String pageText() {
            String t = title == null ? "" : title;
            String b = text == null ? "" : text;
            return TextCleaner.clean(t + "\n\n" + b);
        }
    }

    /** A judged query of the split. */
    record Query(String id, String text, Map<String, Integer> relevance) {
    }

    private final Path folder;
    private final String split;
    private final List<Query> queries;

    private BeirDataset(Path folder, String split, List<Query> queries) {
        this.folder = folder;
        this.split = split;
        this.queries = queries;
    }

    /**
     * Reads the queries and judgments of {@code split}. Only queries that have judgments in the split
     * and a text in the queries file are kept, in the order of the queries file.
     *
     * @throws IllegalArgumentException when a required file is missing or malformed
     */
    static BeirDataset load(Path folder, String split) {
        if (!Files.isRegularFile(folder.resolve("corpus.jsonl"))) {
            throw new IllegalArgumentException(folder + " is not a BEIR folder: it has no corpus.jsonl");
        }
        Path qrelsFile = folder.resolve("qrels").resolve(split + ".tsv");
        if (!Files.isRegularFile(qrelsFile)) {
            throw new IllegalArgumentException("No judgments for split '" + split + "': " + qrelsFile + " is missing");
        }
        Path queriesFile = folder.resolve("queries." + split + ".jsonl");
        if (!Files.isRegularFile(queriesFile)) {
            queriesFile = folder.resolve("queries.jsonl");
        }
        if (!Files.isRegularFile(queriesFile)) {
            throw new IllegalArgumentException(folder + " has neither queries." + split + ".jsonl nor queries.jsonl");
        }
        Map<String, Map<String, Integer>> qrels = readQrels(qrelsFile);
        List<Query> queries = new ArrayList<>();
        try (Stream<String> lines = Files.lines(queriesFile, StandardCharsets.UTF_8)) {
            lines.filter(l -> !l.isBlank()).forEach(line -> {
                JsonNode q = parse(line, "query");
                String id = q.path("_id").asText();
                Map<String, Integer> rel = qrels.get(id);
                if (rel != null) {
                    queries.add(new Query(id, q.path("text").asText(), Collections.unmodifiableMap(rel)));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + queriesFile, e);
        }
        return new BeirDataset(folder, split, List.copyOf(queries));
    }

    private static Map<String, Map<String, Integer>> readQrels(Path file) {
        Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length < 3) {
                    throw new IllegalArgumentException(file + ":" + number + ": expected 'query-id<TAB>corpus-id<TAB>score'");
                }
                if (number == 1 && f[0].trim().toLowerCase(Locale.ROOT).equals("query-id")) {
                    continue; // header
                }
                int score;
                try {
                    score = Integer.parseInt(f[2].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + ":" + number + ": score '" + f[2] + "' is not a whole number");
                }
                qrels.computeIfAbsent(f[0].trim(), k -> new LinkedHashMap<>()).put(f[1].trim(), score);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + file, e);
        }
        return qrels;
    }

    /** The corpus in file order; close the stream. */
    Stream<Doc> corpus() {
        Path file = folder.resolve("corpus.jsonl");
        try {
            return Files.lines(file, StandardCharsets.UTF_8)
                    .filter(l -> !l.isBlank())
                    .map(line -> {
                        JsonNode d = parse(line, "corpus document");
                        return new Doc(d.path("_id").asText(), d.path("title").asText(""), d.path("text").asText(""));
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + file, e);
        }
    }

    /** The folder's name, made fit for an OpenSearch index name (lower case, [a-z0-9_-]). */
    String name() {
        return indexSafe(folder.toAbsolutePath().normalize().getFileName().toString());
    }

    static String indexSafe(String name) {
        String safe = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-").replaceAll("^[-_]+", "");
        return safe.isEmpty() ? "dataset" : safe;
    }

    String split() {
        return split;
    }

    Path folder() {
        return folder;
    }

    List<Query> queries() {
        return queries;
    }

    /**
     * At most {@code max} queries, the same ones on every run: a shuffle with a fixed seed, then the
     * first {@code max}, returned in their original order.
     */
    List<Query> sample(int max) {
        return sample(queries, max);
    }

    /** At most {@code max} of {@code items}: a shuffle with a fixed seed, then the first {@code max}, in their original order. */
    static <T> List<T> sample(List<T> items, int max) {
        if (max >= items.size()) {
            return items;
        }
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            positions.add(i);
        }
        Collections.shuffle(positions, new Random(42));
        return positions.subList(0, max).stream().sorted().map(items::get).toList();
    }

    private static JsonNode parse(String line, String what) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException("Malformed " + what + " line: " + abbreviate(line), e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
