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
