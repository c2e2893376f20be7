package dev.quarry.testsupport;

import dev.quarry.core.port.ObjectStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryObjectStoreTest extends ObjectStoreContract {

    @Override
    protected ObjectStore store() {
        return new InMemoryObjectStore();
    }

    @Test
    void etag_is_the_md5_hex_of_the_content_like_a_single_part_s3_upload() {
        InMemoryObjectStore store = new InMemoryObjectStore();

        String eTag = store.putObject("k", "hello".getBytes(StandardCharsets.UTF_8), "text/plain");

        assertThat(eTag).isEqualTo("5d41402abc4b2a76b9719d911017c592");
        assertThat(store.find("k")).get().extracting(InMemoryObjectStore.StoredObject::contentType).isEqualTo("text/plain");
    }

    @Test
    void changing_the_returned_bytes_does_not_change_the_stored_object() {
        InMemoryObjectStore store = new InMemoryObjectStore();
        store.put("k", new byte[] {1, 2, 3}, "application/octet-stream");

        store.get("k")[0] = 9;

        assertThat(store.get("k")).containsExactly(1, 2, 3);
    }
}
