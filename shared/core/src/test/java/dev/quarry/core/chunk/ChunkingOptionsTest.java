package dev.quarry.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChunkingOptionsTest {
    @Test
    void defaults_are_320_tokens_with_48_overlapping() {
        assertThat(ChunkingOptions.defaults()).isEqualTo(new ChunkingOptions(320, 48));
    }

    @Test
    void rejects_chunks_larger_than_the_model_window() {
        assertThat(new ChunkingOptions(510, 0).maxTokens()).isEqualTo(510);
        assertThatThrownBy(() -> new ChunkingOptions(511, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkingOptions(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejects_overlap_of_half_a_chunk_or_more() {
        assertThat(new ChunkingOptions(100, 49).overlapTokens()).isEqualTo(49);
        assertThatThrownBy(() -> new ChunkingOptions(100, 50)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkingOptions(100, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
