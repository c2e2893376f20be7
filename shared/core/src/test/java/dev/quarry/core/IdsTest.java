package dev.quarry.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdsTest {
    @Test
    void sha256_hex_matches_the_standard_test_vector() {
        assertThat(Ids.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void chunk_id_is_the_first_32_hex_chars_of_the_sha256_of_document_version_part_and_ordinal() {
        String id = Ids.chunkId("doc-1", "v7", 2, 5);

        assertThat(id).hasSize(32).isEqualTo(Ids.sha256Hex("doc-1@v7#2#5").substring(0, 32));
        assertThat(Ids.chunkId("doc-1", "v7", 2, 5)).isEqualTo(id);
        assertThat(Ids.chunkId("doc-1", "v8", 2, 5)).isNotEqualTo(id);
        assertThat(Ids.chunkId("doc-1", "v7", 2, 6)).isNotEqualTo(id);
    }
}
