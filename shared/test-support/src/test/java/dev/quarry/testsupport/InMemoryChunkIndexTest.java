package dev.quarry.testsupport;

import dev.quarry.core.port.ChunkIndex;
import dev.quarry.model.Chunk;
import dev.quarry.model.IndexedChunk;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryChunkIndexTest extends ChunkIndexContract {

    @Override
    protected ChunkIndex index() {
        return new InMemoryChunkIndex();
    }

    @Test
    void the_first_model_checked_becomes_the_model_of_the_index() {
        InMemoryChunkIndex index = new InMemoryChunkIndex();

        index.checkModel("bge-small-en-v1.5-q", 384);

        assertThat(index.model()).contains(new InMemoryChunkIndex.Model("bge-small-en-v1.5-q", 384));
    }

    @Test
    void refuses_a_vector_of_another_dimension_than_the_model() {
        InMemoryChunkIndex index = new InMemoryChunkIndex();
        index.checkModel("m", 384);
        Chunk c = new Chunk("id", "acme", "doc", "v1", "doc.pdf", 0, 0, 1, 1, "text", List.of(), 1);

        assertThatThrownBy(() -> index.index(List.of(new IndexedChunk(c, new float[3]))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 dimensions");
        assertThat(index.all()).isEmpty();
    }

    @Test
    void remembers_the_queries_it_searched_until_cleared() {
        InMemoryChunkIndex index = new InMemoryChunkIndex();
        ChunkIndex.Query query = new ChunkIndex.Query("acme", "pump", null, 5, ChunkIndex.Mode.BM25, List.of());

        index.search(query);

        assertThat(index.queries()).containsExactly(query);
        index.clear();
        assertThat(index.queries()).isEmpty();
    }
}
