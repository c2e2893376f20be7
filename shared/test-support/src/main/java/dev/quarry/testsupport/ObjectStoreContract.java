package dev.quarry.testsupport;

import dev.quarry.core.port.ObjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link ObjectStore} must do. Extend it with the implementation under test; each test
 * works under its own random prefix and removes it afterwards, so a shared real bucket is fine.
 */
public abstract class ObjectStoreContract {

    /** The store under test; called once before each test. */
    protected abstract ObjectStore store();

    /**
     * The eTag the store gives {@code content} (what S3 sends in events and checks on download).
     * S3 and S3Mock: the MD5 hex of a single-part upload.
     */
    protected String eTagOf(byte[] content) {
        return InMemoryObjectStore.md5Hex(content);
    }

    @TempDir
    Path tmp;

    private ObjectStore store;
    private String prefix;

    @BeforeEach
    void startContract() {
        store = store();
        prefix = "contract/" + UUID.randomUUID() + "/";
    }

    @AfterEach
    void cleanUpContract() {
        store.deletePrefix(prefix);
    }

    @Test
    void get_returns_the_bytes_that_were_put() {
        store.put(key("a.json"), bytes("{\"a\":1}"), "application/json");

        assertThat(store.get(key("a.json"))).isEqualTo(bytes("{\"a\":1}"));
    }

    @Test
    void put_overwrites_the_object_at_the_key() {
        store.put(key("a.json"), bytes("first"), "text/plain");
        store.put(key("a.json"), bytes("second"), "text/plain");

        assertThat(store.get(key("a.json"))).isEqualTo(bytes("second"));
        assertThat(store.list(prefix)).containsExactly(key("a.json"));
    }

    @Test
    void stores_an_empty_object() {
        store.put(key("empty.pdf"), new byte[0], "application/pdf");

        assertThat(store.get(key("empty.pdf"))).isEmpty();
    }

    @Test
    void keys_with_spaces_plus_signs_and_accents_are_stored_verbatim() {
        String odd = key("documents/acme/Jahresbericht 2024 + Anhang (é).pdf");
        store.put(odd, bytes("pdf"), "application/pdf");

        assertThat(store.get(odd)).isEqualTo(bytes("pdf"));
        assertThat(store.list(prefix)).containsExactly(odd);
    }

    @Test
    void get_of_a_missing_key_throws_object_missing() {
        assertThatThrownBy(() -> store.get(key("nothing-here")))
                .isInstanceOf(ObjectStore.ObjectMissingException.class)
                .hasMessageContaining(key("nothing-here"));
    }

    @Test
    void download_without_an_etag_writes_the_current_content_to_the_file() throws Exception {
        store.put(key("doc.pdf"), bytes("%PDF-1.7 one"), "application/pdf");
        Path target = tmp.resolve("doc.pdf");

        store.download(key("doc.pdf"), null, target);

        assertThat(Files.readAllBytes(target)).isEqualTo(bytes("%PDF-1.7 one"));
    }

    @Test
    void download_with_the_current_etag_replaces_an_existing_file() throws Exception {
        byte[] content = bytes("%PDF-1.7 two");
        store.put(key("doc.pdf"), content, "application/pdf");
        Path target = tmp.resolve("doc.pdf");
        Files.writeString(target, "stale bytes from an earlier download that are longer than the new ones");

        store.download(key("doc.pdf"), eTagOf(content), target);

        assertThat(Files.readAllBytes(target)).isEqualTo(content);
    }

    @Test
    void download_with_the_etag_of_an_older_version_throws_object_changed() {
        byte[] old = bytes("%PDF-1.7 old");
        store.put(key("doc.pdf"), old, "application/pdf");
        store.put(key("doc.pdf"), bytes("%PDF-1.7 new"), "application/pdf");

        assertThatThrownBy(() -> store.download(key("doc.pdf"), eTagOf(old), tmp.resolve("doc.pdf")))
                .isInstanceOf(ObjectStore.ObjectChangedException.class);
    }

    @Test
    void download_of_a_missing_key_throws_object_missing() {
        assertThatThrownBy(() -> store.download(key("gone.pdf"), "0123456789abcdef0123456789abcdef", tmp.resolve("gone.pdf")))
                .isInstanceOf(ObjectStore.ObjectMissingException.class);
    }

    @Test
    void delete_removes_the_object_and_ignores_a_missing_one() {
        store.put(key("a"), bytes("a"), "text/plain");

        store.delete(key("a"));
        store.delete(key("never-existed"));

        assertThatThrownBy(() -> store.get(key("a"))).isInstanceOf(ObjectStore.ObjectMissingException.class);
        assertThat(store.list(prefix)).isEmpty();
    }

    @Test
    void list_returns_the_keys_under_the_prefix_in_key_order() {
        store.put(key("work/b/part-00001.json"), bytes("1"), "application/json");
        store.put(key("work/b/part-00000.json"), bytes("0"), "application/json");
        store.put(key("work/bb/part-00000.json"), bytes("x"), "application/json");
        store.put(key("work/a/part-00000.json"), bytes("y"), "application/json");

        assertThat(store.list(key("work/b/")))
                .containsExactly(key("work/b/part-00000.json"), key("work/b/part-00001.json"));
        assertThat(store.list(key("nothing/"))).isEmpty();
    }

    @Test
    void delete_prefix_removes_everything_under_it_and_counts_it() {
        store.put(key("work/doc1/v1/part-00000.json"), bytes("0"), "application/json");
        store.put(key("work/doc1/v2/part-00000.json"), bytes("1"), "application/json");
        store.put(key("work/doc10/v1/part-00000.json"), bytes("2"), "application/json");

        int deleted = store.deletePrefix(key("work/doc1/"));

        assertThat(deleted).isEqualTo(2);
        assertThat(store.list(prefix)).containsExactly(key("work/doc10/v1/part-00000.json"));
        assertThat(store.deletePrefix(key("work/doc1/"))).isZero();
    }

    private String key(String name) {
        return prefix + name;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
