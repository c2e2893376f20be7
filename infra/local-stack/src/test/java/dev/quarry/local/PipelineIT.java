package dev.quarry.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ingestion pipeline end to end through the real local stack: presigned uploads, S3 events,
 * SQS event sources, the four functions in their own JVMs, OpenSearch, and the query API.
 */
@ExtendWith(StackSession.class)
class PipelineIT {
    private static StackConfig config;
    private static Path fixtures;

    @BeforeAll
    static void setUp() {
        config = StackSession.ensure();
        fixtures = config.projectRoot().resolve("shared/core/src/test/resources/pdfs");
    }

    private static Api tenant(String prefix) {
        return new Api(config, prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @Test
    void real_pdfs_become_searchable_and_answers_cite_verbatim_quotes_with_pages() {
        Api api = tenant("it-real");
        String xspace = api.upload("xspace.pdf", fixtures.resolve("texlive-latex-base-doc__xspace.pdf"));
        String refcard = api.upload("refcard.pdf", fixtures.resolve("octave-doc__refcard-a4.pdf"));

        Map<String, JsonNode> done = api.awaitTerminal(List.of(xspace, refcard), Duration.ofMinutes(5));

        assertThat(done.get(xspace).path("status").asText()).isEqualTo("READY");
        assertThat(done.get(xspace).path("pages").asInt()).isEqualTo(6);
        assertThat(done.get(xspace).path("chunks").asInt()).isPositive();
        assertThat(done.get(refcard).path("status").asText()).isEqualTo("READY");
        assertThat(done.get(refcard).path("progress").path("percent").asInt()).isEqualTo(100);

        Api.Response search = api.call("POST", "/v1/search", "{\"query\":\"xspace inserts a space after a macro\",\"topK\":5}");
        assertThat(search.status()).isEqualTo(200);
        JsonNode top = search.body().path("hits").path(0);
        assertThat(top.path("documentId").asText()).isEqualTo(xspace);
        assertThat(top.path("pageStart").asInt()).isBetween(1, 6);

        // Both documents hold "insert" and "command": without the filter both match, with it only the refcard.
        String inBoth = "{\"query\":\"insert a command\",\"mode\":\"bm25\",\"topK\":50";
        Api.Response unfiltered = api.call("POST", "/v1/search", inBoth + "}");
        assertThat(unfiltered.status()).as("%s", unfiltered.body()).isEqualTo(200);
        assertThat(unfiltered.body().path("hits")).extracting(h -> h.path("documentId").asText()).contains(xspace, refcard);
        Api.Response filtered = api.call("POST", "/v1/search", inBoth + ",\"filters\":{\"documentIds\":[\"" + refcard + "\"]}}");
        assertThat(filtered.status()).as("%s", filtered.body()).isEqualTo(200);
        assertThat(filtered.body().path("hits")).isNotEmpty()
                .allSatisfy(h -> assertThat(h.path("documentId").asText()).isEqualTo(refcard));

        Api.Response query = api.call("POST", "/v1/query", "{\"question\":\"When does xspace add a space after a command?\"}");
        assertThat(query.status()).isEqualTo(200);
        assertThat(query.body().path("answerMode").asText()).isEqualTo("extractive");
        assertThat(query.body().path("found").asBoolean()).isTrue();
        assertThat(query.body().path("citations")).isNotEmpty();
        for (JsonNode c : query.body().path("citations")) {
            String quote = c.path("quote").asText();
            boolean inAHit = false;
            for (JsonNode h : query.body().path("hits")) {
                if (h.path("chunkId").isTextual() && h.path("text").asText().contains(quote)
                        && c.path("page").asInt() >= h.path("pageStart").asInt() && c.path("page").asInt() <= h.path("pageEnd").asInt()) {
                    inAHit = true;
                }
            }
            assertThat(inAHit).as("citation %s is verbatim in a hit on its page", c).isTrue();
        }

        // The history index refreshes once a second: the entry becomes visible shortly after the answer.
        Await.until("the question in the history", Duration.ofMinutes(1),
                () -> api.call("GET", "/v1/queries", null).body().path("queries").path(0).path("question").asText(),
                asked -> asked.equals("When does xspace add a space after a command?"));
    }

    @Test
    void a_document_of_more_than_one_part_becomes_ready_with_the_chunks_of_every_part() throws Exception {
        Api api = tenant("it-parts");
        Path manual = Files.createTempFile("long-manual", ".pdf");
        int pages = 120; // two parts at the default quarry.extract.pages-per-part of 100
        writeManual(manual, pages);
        String id = api.upload("long-manual.pdf", manual);

        JsonNode done = api.awaitTerminal(List.of(id), Duration.ofMinutes(5)).get(id);

        assertThat(done.path("status").asText()).as("%s", done).isEqualTo("READY");
        assertThat(done.path("pages").asInt()).isEqualTo(pages);
        assertThat(done.path("progress").path("parts").asInt()).as("parts of %s", done).isGreaterThanOrEqualTo(2);
        assertThat(done.path("progress").path("partsDone").asInt()).isEqualTo(done.path("progress").path("parts").asInt());
        JsonNode first = api.call("POST", "/v1/search", "{\"query\":\"windmill\",\"mode\":\"bm25\"}").body().path("hits");
        assertThat(first).as("the word of page 3").isNotEmpty().allSatisfy(h -> assertThat(h.path("pageStart").asInt()).isLessThanOrEqualTo(3));
        JsonNode last = api.call("POST", "/v1/search", "{\"query\":\"lighthouse\",\"mode\":\"bm25\"}").body().path("hits");
        assertThat(last).as("the word of page 115").isNotEmpty().allSatisfy(h -> assertThat(h.path("pageEnd").asInt()).isGreaterThanOrEqualTo(115));
    }

    /**
     * A text PDF of {@code pages} pages, one sentence each and no digits (a numbered line at a page's edge is
     * taken for a running header); page 3 alone says "windmill", page 115 alone "lighthouse".
     */
    private static void writeManual(Path file, int pages) throws Exception {
        String[] first = {"amber", "birch", "cedar", "dune", "ember", "fjord", "glade", "heath", "inlet", "jade", "kelp", "lagoon"};
        String[] second = {"anchor", "bolt", "clamp", "drill", "epoxy", "flange", "gasket", "hinge", "inlay", "joist"};
        try (PDDocument doc = new PDDocument()) {
            PDType1Font helvetica = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (int n = 1; n <= pages; n++) {
                String subject = n == 3 ? "windmill" : n == 115 ? "lighthouse" : "workshop";
                String sentence = "The " + first[n % first.length] + " " + second[(n / first.length) % second.length] + " " + subject
                        + " keeps its own " + second[n % second.length] + " beside the " + first[(n / second.length) % first.length] + ".";
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                    content.beginText();
                    content.setFont(helvetica, 12);
                    content.newLineAtOffset(72, 700);
                    content.showText(sentence);
                    content.endText();
                }
            }
            doc.save(file.toFile());
        }
    }

    @Test
    void bad_files_end_in_a_terminal_status_with_a_reason_a_person_understands() throws Exception {
        Api api = tenant("it-bad");
        Path empty = Files.createTempFile("empty", ".pdf");
        Path notPdf = Files.createTempFile("notpdf", ".pdf");
        Files.writeString(notPdf, "This is a plain text file that someone named .pdf\n");
        Path tricky = fixtures.resolve("tricky");
        Map<String, String> ids = new java.util.LinkedHashMap<>();
        ids.put("empty", api.upload("empty.pdf", empty));
        ids.put("not-pdf", api.upload("notes.pdf", notPdf));
        ids.put("password", api.upload("secret.pdf", tricky.resolve("encrypted-user-password.pdf")));
        ids.put("empty-password", api.upload("open.pdf", tricky.resolve("encrypted-empty-user-password.pdf")));
        ids.put("no-root", api.upload("broken.pdf", tricky.resolve("malformed-missing-root.pdf")));
        ids.put("image-only", api.upload("scan.pdf", tricky.resolve("image-only-encrypted-empty-user-password.pdf")));

        Map<String, JsonNode> done = api.awaitTerminal(ids.values(), Duration.ofMinutes(5));
        JsonNode e = done.get(ids.get("empty"));
        assertThat(e.path("status").asText()).isEqualTo("FAILED");
        assertThat(e.path("errorCode").asText()).isEqualTo("EMPTY_FILE");
        assertThat(e.path("reason").asText()).contains("empty");
        assertThat(done.get(ids.get("not-pdf")).path("errorCode").asText()).isEqualTo("NOT_A_PDF");
        assertThat(done.get(ids.get("password")).path("errorCode").asText()).isEqualTo("ENCRYPTED");
        assertThat(done.get(ids.get("password")).path("reason").asText()).containsIgnoringCase("password");
        assertThat(done.get(ids.get("empty-password")).path("status").asText()).isEqualTo("READY");
        assertThat(done.get(ids.get("no-root")).path("status").asText()).isEqualTo("FAILED");
        assertThat(done.get(ids.get("no-root")).path("reason").asText()).isNotBlank();
        assertThat(done.get(ids.get("image-only")).path("errorCode").asText()).isEqualTo("NO_TEXT");
        assertThat(done.get(ids.get("image-only")).path("reason").asText()).contains("OCR");
    }

    @Test
    void reuploading_a_changed_pdf_replaces_the_old_version_and_deleting_removes_everything() {
        Api api = tenant("it-version");
        String id = api.upload("manual.pdf", fixtures.resolve("texlive-latex-base-doc__xspace.pdf"));
        JsonNode first = api.awaitTerminal(List.of(id), Duration.ofMinutes(3)).get(id);
        assertThat(first.path("status").asText()).isEqualTo("READY");

        assertThat(api.upload("manual.pdf", fixtures.resolve("debian-handbook__ssh-L.pdf"))).isEqualTo(id);
        JsonNode second = awaitNewVersion(api, id, first.path("updatedAt").asText());
        assertThat(second.path("pages").asInt()).isEqualTo(1);

        Api.Response old = api.call("POST", "/v1/search", "{\"query\":\"xspace\",\"mode\":\"bm25\",\"topK\":50}");
        assertThat(old.body().path("hits")).as("chunks of the replaced version are gone").isEmpty();
        Api.Response fresh = api.call("POST", "/v1/search", "{\"query\":\"ssh\",\"mode\":\"bm25\",\"topK\":50}");
        assertThat(fresh.body().path("hits")).isNotEmpty();

        assertThat(api.call("DELETE", "/v1/documents/" + id, null).status()).isEqualTo(202);
        JsonNode deleted = api.awaitTerminal(List.of(id), Duration.ofMinutes(2)).get(id);
        long until = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!deleted.path("status").asText().equals("DELETED") && System.nanoTime() < until) {
            Servers.sleep(500);
            deleted = api.document(id);
        }
        assertThat(deleted.path("status").asText()).isEqualTo("DELETED");
        assertThat(api.call("POST", "/v1/search", "{\"query\":\"ssh\",\"mode\":\"bm25\"}").body().path("hits")).isEmpty();
        assertThat(api.call("GET", "/v1/documents", null).body().path("documents")).isEmpty();
        try (var s3 = Clients.s3(config)) {
            assertThat(s3.listObjectsV2(b -> b.bucket(config.bucket()).prefix("work/")).contents())
                    .noneMatch(o -> o.key().contains("/" + id + "/"));
        }
    }

    private static JsonNode awaitNewVersion(Api api, String id, String previousUpdate) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        JsonNode doc = api.document(id);
        while (System.nanoTime() < deadline) {
            doc = api.document(id);
            if (doc.path("status").asText().equals("READY") && !doc.path("updatedAt").asText().equals(previousUpdate)
                    && doc.path("pages").asInt() == 1) {
                return doc;
            }
            Servers.sleep(500);
        }
        throw new AssertionError("The new version did not become READY: " + doc);
    }

    static List<String> list(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
