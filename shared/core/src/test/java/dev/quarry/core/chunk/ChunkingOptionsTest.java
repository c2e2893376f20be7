package dev.quarry.core.chunk;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChunkingOptionsTest {
    @Test
    void accepts_chunks_up_to_the_model_window_and_rejects_larger_ones_naming_the_bound() {
        assertThatCode(() -> new ChunkingOptions(510, 0)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new ChunkingOptions(511, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..510").hasMessageContaining("511");
        assertThatThrownBy(() -> new ChunkingOptions(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void accepts_overlap_below_half_a_chunk_and_rejects_half_or_more() {
        assertThatCode(() -> new ChunkingOptions(100, 49)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new ChunkingOptions(100, 50))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlapTokens");
        assertThatThrownBy(() -> new ChunkingOptions(100, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
