package dev.quarry.local;

import com.fasterxml.jackson.databind.JsonNode;
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

        Api.Response filtered = api.call("POST", "/v1/search",
                "{\"query\":\"xspace\",\"mode\":\"bm25\",\"filters\":{\"documentIds\":[\"" + refcard + "\"]}}");
        filtered.body().path("hits").forEach(h -> assertThat(h.path("documentId").asText()).isEqualTo(refcard));

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
        String asked = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!asked.equals("When does xspace add a space after a command?") && System.nanoTime() < deadline) {
            Servers.sleep(500);
            asked = api.call("GET", "/v1/queries", null).body().path("queries").path(0).path("question").asText();
        }
        assertThat(asked).isEqualTo("When does xspace add a space after a command?");
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
