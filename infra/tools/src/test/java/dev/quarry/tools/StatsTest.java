package dev.quarry.tools;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatsTest {

    @Test
    void percentile_is_the_nearest_rank_observed_value() {
        List<Integer> oneToTen = List.of(7, 3, 10, 1, 5, 9, 2, 8, 4, 6);

        assertThat(Stats.percentile(oneToTen, 50)).isEqualTo(5.0);
        assertThat(Stats.percentile(oneToTen, 95)).isEqualTo(10.0);
        assertThat(Stats.percentile(oneToTen, 90)).isEqualTo(9.0);
        assertThat(Stats.percentile(oneToTen, 100)).isEqualTo(10.0);
        assertThat(Stats.percentile(oneToTen, 1)).isEqualTo(1.0);
    }

    @Test
    void percentile_rounds_the_rank_up_rather_than_interpolating() {
        // the textbook nearest-rank example: ranks ceil(0.3*5)=2, ceil(0.4*5)=2, ceil(0.5*5)=3
        List<Double> samples = List.of(50.0, 15.0, 40.0, 20.0, 35.0);

        assertThat(Stats.percentile(samples, 30)).isEqualTo(20.0);
        assertThat(Stats.percentile(samples, 40)).isEqualTo(20.0);
        assertThat(Stats.percentile(samples, 50)).isEqualTo(35.0);
        assertThat(Stats.percentile(List.of(12.5), 95)).isEqualTo(12.5);
    }

    @Test
    void no_samples_give_nan_and_bad_percentiles_are_refused() {
        assertThat(Stats.percentile(List.<Double>of(), 50)).isNaN();
        assertThat(Stats.mean(List.<Double>of())).isNaN();
        assertThat(Stats.mean(List.of(1.0, 2.0, 6.0))).isEqualTo(3.0);
        assertThatThrownBy(() -> Stats.percentile(List.of(1.0), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stats.percentile(List.of(1.0), 101)).isInstanceOf(IllegalArgumentException.class);
    }
}
