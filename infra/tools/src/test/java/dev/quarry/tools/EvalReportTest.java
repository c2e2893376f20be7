package dev.quarry.tools;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EvalReportTest {

    @Test
    void formats_one_padded_row_per_mode_with_three_decimal_metrics() {
        String table = EvalReport.table(List.of(
                new EvalReport.ModeResult("bm25", 0.66512, 0.9, 0.6321, 4.04, 9.96),
                new EvalReport.ModeResult("hybrid-weighted", 0.7, 0.95333, 1.0, 12.345, Double.NaN)));

        assertThat(table).isEqualTo("""
                | mode            | nDCG@10 | Recall@100 | MRR@10 | mean ms | p95 ms |
                | --------------- | ------: | ---------: | -----: | ------: | -----: |
                | bm25            |   0.665 |      0.900 |  0.632 |     4.0 |   10.0 |
                | hybrid-weighted |   0.700 |      0.953 |  1.000 |    12.3 |    n/a |
                """);
    }

    @Test
    void says_how_much_hybrid_beats_the_better_of_its_two_parts_per_metric() {
        String line = EvalReport.hybridGain(List.of(
                new EvalReport.ModeResult("bm25", 0.60, 0.90, 0.50, 1, 1),
                new EvalReport.ModeResult("knn", 0.70, 0.80, 0.65, 1, 1),
                new EvalReport.ModeResult("hybrid", 0.77, 0.95, 0.65, 1, 1)));

        assertThat(line).isEqualTo("- hybrid (RRF) against the better of bm25 and knn: nDCG@10 +0.0700 (+10.0%); "
                + "Recall@100 +0.0500 (+5.6%); MRR@10 +0.0000 (+0.0%)\n");
        assertThat(EvalReport.hybridGain(List.of(new EvalReport.ModeResult("bm25", 1, 1, 1, 1, 1)))).isEmpty();
    }

    @Test
    void the_default_split_is_the_one_the_folder_has_judgments_for() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("beir");
        java.nio.file.Files.createDirectories(dir.resolve("qrels"));
        java.nio.file.Files.writeString(dir.resolve("qrels/train.tsv"), "query-id\tcorpus-id\tscore\n");
        assertThat(BeirEval.defaultSplit(dir)).isEqualTo("train");
        java.nio.file.Files.writeString(dir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\n");
        assertThat(BeirEval.defaultSplit(dir)).isEqualTo("test");
    }

    @Test
    void escapes_pipes_and_left_aligns_text_columns() {
        String table = new MarkdownTable("name", "n").row("a|b", 3).row("longer", 12).render();

        assertThat(table).isEqualTo("""
                | name   |   n |
                | ------ | --: |
                | a\\|b   |   3 |
                | longer |  12 |
                """);
    }
}
