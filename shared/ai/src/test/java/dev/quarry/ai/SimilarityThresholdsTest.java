package dev.quarry.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SimilarityThresholdsTest {

    @Test
    void the_local_model_gets_its_measured_thresholds() {
        assertThat(SimilarityThresholds.of("bge-small-en-v1.5-q", Optional.empty(), Optional.empty()))
                .isEqualTo(new SimilarityThresholds(0.45, 0.62));
    }

    @Test
    void a_model_never_measured_gets_no_check_instead_of_another_models_number() {
        // Titan v2 in AWS: bge-small's 0.62 would turn most answers into "not found"
        assertThat(SimilarityThresholds.of("amazon.titan-embed-text-v2:0", Optional.empty(), Optional.empty()))
                .isEqualTo(new SimilarityThresholds(0, 0));
    }

    @Test
    void configured_values_win() {
        assertThat(SimilarityThresholds.of("amazon.titan-embed-text-v2:0", Optional.of(0.2), Optional.of(0.3)))
                .isEqualTo(new SimilarityThresholds(0.2, 0.3));
        assertThat(SimilarityThresholds.of("bge-small-en-v1.5-q", Optional.empty(), Optional.of(0.0)).passage()).isZero();
    }
}
