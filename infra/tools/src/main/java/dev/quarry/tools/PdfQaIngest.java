package dev.quarry.tools;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Brings a folder's PDFs into a tenant the way a client does: presigned upload through the public
 * API, then the real pipeline (extract, chunk, embed, index) behind it. A PDF already READY under
 * the same name and size is kept, so a second run only evaluates; {@code --reingest} uploads all.
 */
final class PdfQaIngest {
    static final Set<String> TERMINAL = Set.of("READY", "FAILED", "DELETED");
    static final int PAGE_SIZE = 100;
    static final long POLL_MILLIS = 2_000;
    static final long PROGRESS_EVERY_MILLIS = 15_000;

    /** A document of the tenant after ingestion; {@code seconds} from the first upload to its end, null when it was kept. */
    record Document(String name, String documentId, String status, int pages, int chunks, String errorCode, String reason,
                    boolean uploaded, Double seconds) {
        static Document of(JsonNode d, boolean uploaded, Double seconds) {
            return new Document(d.path("name").asText(), d.path("documentId").asText(), d.path("status").asText(),
                    d.path("pages").asInt(), d.path("chunks").asInt(), text(d, "errorCode"), text(d, "reason"), uploaded, seconds);
        }
    }

    /**
     * {@code seconds}: first upload to last document finished (0 when nothing was uploaded); {@code unfinished}: the
     * uploaded documents still not terminal when the time ran out, by name, with the status they were in.
     */
    record Outcome(List<Document> documents, int uploaded, double seconds, Map<String, String> unfinished) {
        long count(String status) {
            return documents.stream().filter(d -> d.status().equals(status)).count();
        }

        long pages() {
            return documents.stream().mapToLong(Document::pages).sum();
        }

        long chunks() {
            return documents.stream().mapToLong(Document::chunks).sum();
        }
    }

    private final LocalApi api;

    PdfQaIngest(LocalApi api) {
        this.api = api;
    }

    /** Each PDF under its file name; fails when the time runs out. */
    Outcome run(List<Path> pdfs, boolean reingest, Duration timeout) throws IOException, InterruptedException {
        Map<String, Path> named = new LinkedHashMap<>();
        pdfs.forEach(p -> named.put(p.getFileName().toString(), p));
        return run(named, reingest, timeout, true);
    }

    /**
     * @param named          the files by the document name each is uploaded as
     * @param failOnTimeout  fail when the time runs out, else return with the unfinished documents named
     */
    Outcome run(Map<String, Path> named, boolean reingest, Duration timeout, boolean failOnTimeout)
            throws IOException, InterruptedException {
        Map<String, JsonNode> present = list();
        Map<String, Path> toUpload = new LinkedHashMap<>();
        Map<String, JsonNode> kept = new LinkedHashMap<>();
        for (var entry : named.entrySet()) {
            String name = entry.getKey();
            Path pdf = entry.getValue();
            JsonNode doc = present.get(name);
            if (!reingest && doc != null && doc.path("status").asText().equals("READY") && sameSize(doc, pdf)) {
                kept.put(name, doc);
            } else {
                toUpload.put(name, pdf);
            }
        }
        System.out.printf(Locale.ROOT, "Ingest: %d PDFs; %d already READY in the tenant%s, %d to upload%n", named.size(), kept.size(),
                kept.isEmpty() ? "" : " (kept; --reingest uploads them again)", toUpload.size());

        // An upload of a name the tenant has keeps its old record until the pipeline picks the new bytes up:
        // a document is finished once its record changed since the upload and is terminal (QuarryCli.ingest's rule).
        Map<String, String> idOf = new LinkedHashMap<>();
        Map<String, String> updatedBefore = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        for (var e : toUpload.entrySet()) {
            JsonNode created = api.post("/v1/documents", BeirDataset.JSON.createObjectNode().put("name", e.getKey()), 201).json();
            String id = created.path("documentId").asText();
            updatedBefore.put(id, api.get("/v1/documents/" + id, 200).path("updatedAt").asText());
            api.put(created.path("uploadUrl").asText(), e.getValue());
            idOf.put(e.getKey(), id);
            System.out.printf(Locale.ROOT, "  uploaded %-45s %s%n", e.getKey(), id);
        }

        Map<String, Document> finished = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastProgress = System.nanoTime();
        Map<String, JsonNode> now = present;
        Map<String, String> unfinished = new LinkedHashMap<>();
        while (finished.size() < idOf.size()) {
            if (System.nanoTime() > deadline && !failOnTimeout) {
                for (String name : idOf.keySet()) {
                    if (!finished.containsKey(name)) {
                        unfinished.put(name, now.containsKey(name) ? now.get(name).path("status").asText() : "not listed");
                    }
                }
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new Tools.ToolException(String.format(Locale.ROOT, "%d of %d uploaded documents were not finished after %d minutes: "
                                + "run again (READY documents are kept) or give more --timeout-minutes",
                        idOf.size() - finished.size(), idOf.size(), timeout.toMinutes()));
            }
            Thread.sleep(POLL_MILLIS);
            now = list();
            double seconds = (System.nanoTime() - t0) / 1e9;
            for (var e : idOf.entrySet()) {
                JsonNode doc = now.get(e.getKey());
                if (finished.containsKey(e.getKey()) || doc == null) {
                    continue;
                }
                boolean changed = !doc.path("updatedAt").asText().equals(updatedBefore.get(e.getValue()));
                if (changed && TERMINAL.contains(doc.path("status").asText())) {
                    Document d = Document.of(doc, true, seconds);
                    finished.put(e.getKey(), d);
                    System.out.printf(Locale.ROOT, "  %-6s %-45s %4d pages %5d chunks  at %6.1f s%s%n", d.status(), d.name(), d.pages(),
                            d.chunks(), seconds, d.reason() == null ? "" : "  " + d.errorCode() + ": " + d.reason());
                }
            }
            if (System.nanoTime() - lastProgress > PROGRESS_EVERY_MILLIS * 1_000_000 && finished.size() < idOf.size()) {
                System.out.println("  " + progress(idOf, finished, now, seconds));
                lastProgress = System.nanoTime();
            }
        }
        double seconds = idOf.isEmpty() ? 0 : (System.nanoTime() - t0) / 1e9;

        List<Document> documents = new ArrayList<>();
        for (String name : named.keySet()) {
            if (finished.containsKey(name)) {
                documents.add(finished.get(name));
            } else if (kept.containsKey(name)) {
                documents.add(Document.of(kept.get(name), false, null));
            }
        }
        return new Outcome(documents, idOf.size(), seconds, unfinished);
    }

    /** "[ 45 s] 3/20 finished; EMBEDDING 4, QUEUED 13; 812 chunks so far". */
    private static String progress(Map<String, String> idOf, Map<String, Document> finished, Map<String, JsonNode> now, double seconds) {
        Map<String, Integer> states = new TreeMap<>();
        long chunks = finished.values().stream().mapToLong(Document::chunks).sum();
        for (String name : idOf.keySet()) {
            JsonNode doc = now.get(name);
            if (!finished.containsKey(name) && doc != null) {
                states.merge(doc.path("status").asText(), 1, Integer::sum);
                chunks += doc.path("chunks").asInt();
            }
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "[%5.0f s] %d/%d finished; ", seconds, finished.size(), idOf.size()));
        states.forEach((state, n) -> s.append(state).append(' ').append(n).append(", "));
        return s.append(chunks).append(" chunks so far").toString();
    }

    /** The tenant's documents by name, every page of GET /v1/documents. */
    Map<String, JsonNode> list() throws IOException, InterruptedException {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        String cursor = null;
        do {
            String path = "/v1/documents?limit=" + PAGE_SIZE
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode page = api.get(path, 200);
            for (JsonNode d : page.path("documents")) {
                byName.putIfAbsent(d.path("name").asText(), d); // newest first: the first one is the current record
            }
            cursor = page.hasNonNull("nextCursor") ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return byName;
    }

    /** A record that does not know its size (0) is taken to be the same file. */
    private static boolean sameSize(JsonNode doc, Path pdf) throws IOException {
        long size = doc.path("sizeBytes").asLong();
        return size <= 0 || size == Files.size(pdf);
    }

    private static String text(JsonNode d, String field) {
        return d.hasNonNull(field) ? d.path(field).asText() : null;
    }
}
