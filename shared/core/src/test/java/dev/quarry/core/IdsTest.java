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
        // printf 'doc-1@v7#2#5' | sha256sum: a chunk keeps its id across releases, so re-indexing overwrites it
        assertThat(Ids.chunkId("doc-1", "v7", 2, 5)).isEqualTo("14b2d061fac8c644ea336c94de7ab71a");
    }

    @Test
    void chunk_id_changes_with_each_of_document_version_part_and_ordinal() {
        String id = Ids.chunkId("doc-1", "v7", 2, 5);

        assertThat(Ids.chunkId("doc-2", "v7", 2, 5)).isNotEqualTo(id);
        assertThat(Ids.chunkId("doc-1", "v8", 2, 5)).isNotEqualTo(id);
        assertThat(Ids.chunkId("doc-1", "v7", 3, 5)).isNotEqualTo(id);
        assertThat(Ids.chunkId("doc-1", "v7", 2, 6)).isNotEqualTo(id);
        // part and ordinal are separated: part 12 ordinal 5 is not part 1 ordinal 25
        assertThat(Ids.chunkId("doc-1", "v7", 12, 5)).isNotEqualTo(Ids.chunkId("doc-1", "v7", 1, 25));
    }
}
