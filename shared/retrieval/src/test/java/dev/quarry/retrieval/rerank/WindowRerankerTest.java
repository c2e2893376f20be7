package dev.quarry.retrieval.rerank;

import dev.quarry.model.SearchHit;
import dev.quarry.retrieval.answer.Relevance;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.quarry.retrieval.Hits.hit;
import static org.assertj.core.api.Assertions.assertThat;

class WindowRerankerTest {

    /** Stands in for the embedding model: a window holding "inventories" is close to the question, others are not. */
    private final List<String> read = new ArrayList<>();
    private final Relevance relevance = (question, windows) -> {
        read.addAll(windows);
        return windows.stream().mapToDouble(w -> w.contains("Inventories") ? 0.9 : 0.3).toArray();
    };

    @Test
    void a_passage_whose_one_row_answers_rises_above_passages_that_only_talk_around_it() {
        String prose = "Our inventory management improved over the year and we expect further gains. ".repeat(6);
        String table = "Cash and equivalents 4,466 3,808\nAccounts receivable 4,463 3,677\nInventories 5,622 5,261\n"
                + "Prepaid expenses 1,968 1,130";
        List<SearchHit> fused = List.of(hit("prose-1", 0.0164, prose), hit("sheet", 0.0161, table), hit("prose-2", 0.0159, prose));

        List<SearchHit> reranked = new WindowReranker(relevance, 2.0).rerank("What were Nike's inventories?", fused, 3);

        assertThat(reranked).extracting(SearchHit::chunkId).containsExactly("sheet", "prose-1", "prose-2");
        // fused rank 2 and window rank 1 against fused rank 1 and window rank 2
        assertThat(reranked.getFirst().score()).isEqualTo(1.0 / 62 + 2.0 / 61);
        // with equal weights the two rankings tie, and the fused order breaks the tie
        assertThat(new WindowReranker(relevance, 1.0).rerank("q", fused, 3)).extracting(SearchHit::chunkId)
                .containsExactly("prose-1", "sheet", "prose-2");
    }

    @Test
    void with_no_weight_on_the_windows_the_fused_order_stands_and_top_k_cuts() {
        List<SearchHit> fused = List.of(hit("a", 3, "Alpha text."), hit("b", 2, "Inventories 5,622 5,261"), hit("c", 1, "Gamma."));

        assertThat(new WindowReranker(relevance, 0).rerank("q", fused, 2)).extracting(SearchHit::chunkId).containsExactly("a", "b");
    }

    @Test
    void windows_close_at_about_48_words_and_never_split_a_row() {
        String row = "Net cash provided by operating activities 6,123 6,045 6,201";
        String text = String.join("\n", java.util.Collections.nCopies(12, row));

        List<String> windows = WindowReranker.windows(text);

        assertThat(windows).hasSize(2).allSatisfy(w -> assertThat(w.split("\n")).allMatch(row::equals));
        assertThat(windows.getFirst().split("\\s+")).hasSizeGreaterThanOrEqualTo(WindowReranker.WINDOW_WORDS);
    }

    @Test
    void each_window_is_read_under_its_section_as_the_passage_was_embedded() {
        SearchHit sheet = new SearchHit("s", "d", "d.pdf", 1, 1, "Inventories 5,622 5,261", List.of(), 1.0,
                "CONSOLIDATED BALANCE SHEETS | 2019 2018");

        new WindowReranker(relevance, 1.0).rerank("q", List.of(sheet), 1);

        assertThat(read).containsExactly("CONSOLIDATED BALANCE SHEETS | 2019 2018\nInventories 5,622 5,261");
    }
}
