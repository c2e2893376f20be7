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
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real quarterly filing (Amcor's 10-Q for the quarter ended 31 December 2022, 57 pages, from the
 * FinanceBench dev set beside the checkout) through the whole pipeline and API: its statements are
 * found by their titles, a statement row reaches the index whole and under its statement, and a
 * question about a figure is answered by quoting that row on its page. The pages are facts of the
 * PDF, read with pdftotext when this test was written: balance sheets on page 7, cash flows on page 8.
 */
@ExtendWith(StackSession.class)
class FilingRetrievalIT {
    static final String FILING = "../shared/eval/financebench-dev/pdfs/AMCOR_2023Q2_10Q.pdf";
    static final int BALANCE_SHEETS = 7;
    static final int CASH_FLOWS = 8;

    private static Api api;
    private static String documentId;

    @BeforeAll
    static void ingestTheFiling() {
        StackConfig config = StackSession.ensure();
        Path pdf = config.projectRoot().resolve(FILING).normalize();
        assertThat(Files.isRegularFile(pdf))
                .as("%s is missing: this test reads the FinanceBench dev set beside the checkout (../shared/eval)", pdf)
                .isTrue();
        api = new Api(config, "it-filing-" + UUID.randomUUID().toString().substring(0, 8));
        documentId = api.upload("AMCOR_2023Q2_10Q.pdf", pdf);
        JsonNode done = api.awaitTerminal(List.of(documentId), Duration.ofMinutes(5)).get(documentId);
        assertThat(done.path("status").asText()).as("status of the filing: %s", done).isEqualTo("READY");
    }

    private static List<JsonNode> search(String query, String mode, int topK) {
        Api.Response r = api.call("POST", "/v1/search",
                "{\"query\":\"" + query + "\",\"mode\":\"" + mode + "\",\"topK\":" + topK + "}");
        assertThat(r.status()).isEqualTo(200);
        List<JsonNode> hits = new ArrayList<>();
        r.body().path("hits").forEach(hits::add);
        assertThat(hits).as("hits for %s (%s)", query, mode).isNotEmpty();
        return hits;
    }

    private static boolean spans(JsonNode hit, int page) {
        return hit.path("pageStart").asInt() <= page && page <= hit.path("pageEnd").asInt();
    }

    @Test
    void a_statement_page_is_found_by_its_title() {
        for (String mode : List.of("hybrid", "bm25", "knn")) {
            assertThat(search("Condensed Consolidated Statements of Cash Flows", mode, 3))
                    .as("top 3 (%s) span the cash flow statement on page %d", mode, CASH_FLOWS)
                    .anySatisfy(h -> assertThat(spans(h, CASH_FLOWS)).isTrue());
        }
        assertThat(search("Condensed Consolidated Balance Sheets", "hybrid", 3))
                .anySatisfy(h -> assertThat(spans(h, BALANCE_SHEETS)).isTrue());
    }

    @Test
    void a_statement_row_is_indexed_whole_under_its_statement() {
        JsonNode row = search("Total current assets", "bm25", 10).stream()
                .filter(h -> spans(h, BALANCE_SHEETS) && h.path("text").asText().contains("Total current assets"))
                .findFirst().orElseThrow(() -> new AssertionError("no hit on page 7 holds the row 'Total current assets'"));
        String line = row.path("text").asText().lines().filter(l -> l.startsWith("Total current assets")).findFirst().orElseThrow();
        assertThat(line).as("the label and its values on one line").matches("Total current assets( \\$)? [\\d,]+( \\$)? [\\d,]+");
        assertThat(row.path("section").asText()).containsIgnoringCase("balance sheets");
    }

    @Test
    void a_question_about_a_figure_is_answered_with_the_row_on_its_page() {
        Api.Response r = api.call("POST", "/v1/query",
                "{\"question\":\"What were Amcor's total current assets at the end of the quarter?\"}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("found").asBoolean()).isTrue();
        assertThat(r.body().path("citations")).anySatisfy(c -> {
            assertThat(c.path("page").asInt()).isEqualTo(BALANCE_SHEETS);
            assertThat(c.path("quote").asText()).startsWith("Total current assets");
        });
    }
}
