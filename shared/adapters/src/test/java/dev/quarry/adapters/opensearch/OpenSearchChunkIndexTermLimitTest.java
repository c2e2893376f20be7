package dev.quarry.adapters.opensearch;

import static dev.quarry.adapters.opensearch.OpenSearchChunkIndex.MAX_BM25_CLAUSES;
import static dev.quarry.adapters.opensearch.OpenSearchChunkIndex.limitTerms;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.quarry.core.port.ChunkIndex;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * OpenSearch refuses a query of more than 1,024 clauses, and a match query is one clause per term:
 * the BM25 side searches only the first {@link OpenSearchChunkIndex#MAX_BM25_CLAUSES} terms of a question.
 */
class OpenSearchChunkIndexTermLimitTest {

    @Test
    void keeps_a_text_of_exactly_the_limit_whole() {
        assertThat(limitTerms("pump pressure valve", 3)).isEqualTo("pump pressure valve");
        assertThat(limitTerms(ideographs(MAX_BM25_CLAUSES), MAX_BM25_CLAUSES)).isEqualTo(ideographs(MAX_BM25_CLAUSES));
    }

    @Test
    void cuts_right_before_the_first_term_over_the_limit() {
        assertThat(limitTerms("pump pressure valve seat", 3)).isEqualTo("pump pressure valve ");
        assertThat(limitTerms(ideographs(MAX_BM25_CLAUSES + 1), MAX_BM25_CLAUSES)).isEqualTo(ideographs(MAX_BM25_CLAUSES));
        assertThat(limitTerms(ideographs(2000), MAX_BM25_CLAUSES)).isEqualTo(ideographs(MAX_BM25_CLAUSES));
    }

    @Test
    void counts_a_run_of_letters_and_digits_as_one_term_and_each_ideograph_kana_or_symbol_as_one() {
        assertThat(limitTerms("abc123 x-ray 泵的压力", 4)).isEqualTo("abc123 x-ray 泵");
        assertThat(limitTerms("すしを", 2)).isEqualTo("すし");
        assertThat(limitTerms("pump ⚙⚙⚙", 3)).isEqualTo("pump ⚙⚙");
    }

    @Test
    void never_splits_a_character_outside_the_basic_plane() {
        String twoEmoji = "\uD83D\uDE00\uD83D\uDE00";
        String extensionB = "\uD840\uDC00\uD840\uDC01"; // U+20000, U+20001

        assertThat(limitTerms(twoEmoji + "\uD83D\uDE00", 2)).isEqualTo(twoEmoji);
        assertThat(limitTerms(extensionB + "\uD840\uDC02", 2)).isEqualTo(extensionB);
    }

    @Test
    void a_bm25_search_sends_opensearch_only_the_terms_under_the_limit_shared_by_its_fields() throws Exception {
        // text, context and section: each term is a clause in each field
        assertThat(searchedFor(OpenSearchChunkIndex.DEFAULT_CONTEXT_BOOST, OpenSearchChunkIndex.DEFAULT_SECTION_BOOST))
                .contains(ideographs(MAX_BM25_CLAUSES / 3)).doesNotContain(ideographs(MAX_BM25_CLAUSES / 3 + 1));
        // the text alone
        assertThat(searchedFor(0, 0)).contains(ideographs(MAX_BM25_CLAUSES)).doesNotContain(ideographs(MAX_BM25_CLAUSES + 1));
    }

    private static String searchedFor(double contextBoost, double sectionBoost) throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = ("{\"took\":1,\"responses\":[{\"took\":1,\"timed_out\":false,\"status\":200,"
                    + "\"_shards\":{\"total\":1,\"successful\":1,\"skipped\":0,\"failed\":0},"
                    + "\"hits\":{\"total\":{\"value\":0,\"relation\":\"eq\"},\"max_score\":null,\"hits\":[]}}]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try (OpenSearchClients.Handle os = OpenSearchClients.local("http://127.0.0.1:" + server.getAddress().getPort())) {
            ChunkIndex index = new OpenSearchChunkIndex(os.client(), new OpenSearchIndices(os.client()), "chunks",
                    contextBoost, sectionBoost);

            index.search(new ChunkIndex.Query("tenant-a", ideographs(2000), null, 5, ChunkIndex.Mode.BM25, null));
        } finally {
            server.stop(0);
        }

        assertThat(requests).hasSize(1);
        return searchedText(requests.get(0));
    }

    /** The text values of every search body in an _msearch request, joined. */
    private static String searchedText(String ndjson) throws Exception {
        ObjectMapper json = new ObjectMapper();
        StringBuilder text = new StringBuilder();
        String[] lines = ndjson.split("\n");
        for (int i = 1; i < lines.length; i += 2) {
            collectText(json.readTree(lines[i]), text);
        }
        return text.toString();
    }

    private static void collectText(JsonNode node, StringBuilder out) {
        if (node.isTextual()) {
            out.append(node.asText()).append('\n');
        }
        node.forEach(child -> collectText(child, out));
    }

    /** {@code n} different ideographs, each one term for the standard tokenizer. */
    private static String ideographs(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append((char) (0x4e00 + i));
        }
        return s.toString();
    }
}
