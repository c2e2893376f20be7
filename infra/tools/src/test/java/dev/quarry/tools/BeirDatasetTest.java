package dev.quarry.tools;

import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BeirDatasetTest {

    private static Path tiny() throws URISyntaxException {
        return Path.of(BeirDatasetTest.class.getResource("/beir-tiny/corpus.jsonl").toURI()).getParent();
    }

    @Test
    void loads_the_judged_queries_of_a_split_with_their_graded_relevance() throws Exception {
        BeirDataset data = BeirDataset.load(tiny(), "test");

        assertThat(data.queries()).extracting(BeirDataset.Query::id).containsExactly("q1", "q2");
        assertThat(data.queries().getFirst().text()).isEqualTo("Does aspirin help with headaches?");
        assertThat(data.queries().getFirst().relevance()).isEqualTo(Map.of("d1", 1, "d3", 2));
        assertThat(data.queries().get(1).relevance()).isEqualTo(Map.of("d2", 1));
        assertThat(data.name()).isEqualTo("beir-tiny");
    }

    @Test
    void keeps_only_queries_judged_in_the_split_and_prefers_the_split_queries_file() throws Exception {
        BeirDataset dev = BeirDataset.load(tiny(), "dev");

        assertThat(dev.queries()).hasSize(1);
        assertThat(dev.queries().getFirst().id()).isEqualTo("q2");
        assertThat(dev.queries().getFirst().text()).isEqualTo("how common is low vitamin D"); // from queries.dev.jsonl
        assertThat(dev.queries().getFirst().relevance()).isEqualTo(Map.of("d3", 1));
    }

    @Test
    void streams_the_corpus_skipping_blank_lines_and_builds_cleaned_page_text() throws Exception {
        List<BeirDataset.Doc> docs;
        try (Stream<BeirDataset.Doc> corpus = BeirDataset.load(tiny(), "test").corpus()) {
            docs = corpus.toList();
        }

        assertThat(docs).extracting(BeirDataset.Doc::id).containsExactly("d1", "d2", "d3");
        // title, blank line, text; line break inside the paragraph joined, double space collapsed
        assertThat(docs.get(0).pageText()).isEqualTo("Aspirin and headaches\n\nAspirin relieves tension headaches in adults.");
        // no title: no leading blank paragraph
        assertThat(docs.get(1).pageText()).isEqualTo("Vitamin D deficiency is common in winter.");
    }

    @Test
    void refuses_a_split_without_judgments_and_a_folder_without_corpus() throws Exception {
        assertThatThrownBy(() -> BeirDataset.load(tiny(), "train"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("train.tsv");
        assertThatThrownBy(() -> BeirDataset.load(tiny().resolve("qrels"), "test"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no corpus.jsonl");
    }

    @Test
    void samples_the_same_queries_every_time_in_file_order() throws Exception {
        BeirDataset data = BeirDataset.load(tiny(), "test");

        List<BeirDataset.Query> once = data.sample(1);
        assertThat(once).hasSize(1);
        assertThat(data.sample(1)).isEqualTo(once);
        assertThat(data.sample(2)).extracting(BeirDataset.Query::id).containsExactly("q1", "q2");
        assertThat(data.sample(99)).isSameAs(data.queries());
    }

    @Test
    void makes_folder_names_fit_for_index_names() {
        assertThat(BeirDataset.indexSafe("SciFact v2.1")).isEqualTo("scifact-v2-1");
        assertThat(BeirDataset.indexSafe("_cqadupstack/")).isEqualTo("cqadupstack-");
        assertThat(BeirDataset.indexSafe("###")).isEqualTo("dataset");
    }
}
