package dev.quarry.core.port;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModelUsageTest {

    @Test
    void a_meter_adds_up_what_the_models_report_on_its_thread_while_it_is_open() throws Exception {
        ModelUsage.Tokens inside;
        try (ModelUsage.Meter meter = ModelUsage.start()) {
            ModelUsage.embedding(7);
            ModelUsage.answer(100, 20);
            ModelUsage.embedding(3);
            Thread other = new Thread(() -> ModelUsage.embedding(1_000));
            other.start();
            other.join();
            inside = meter.tokens();
        }
        ModelUsage.embedding(50); // no meter open: nobody pays attention

        assertThat(inside).isEqualTo(new ModelUsage.Tokens(10, 100, 20));
        assertThat(ModelUsage.metering()).isFalse();
    }

    @Test
    void a_meter_inside_another_counts_its_own_part_and_the_outer_one_everything() {
        try (ModelUsage.Meter outer = ModelUsage.start()) {
            ModelUsage.embedding(5);
            try (ModelUsage.Meter inner = ModelUsage.start()) {
                ModelUsage.answer(30, 4);
                assertThat(inner.tokens()).isEqualTo(new ModelUsage.Tokens(0, 30, 4));
            }
            ModelUsage.embedding(1);
            assertThat(outer.tokens()).isEqualTo(new ModelUsage.Tokens(6, 30, 4));
        }
    }
}
