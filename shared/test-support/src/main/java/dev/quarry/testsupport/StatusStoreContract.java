package dev.quarry.testsupport;

import dev.quarry.core.port.StatusStore;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;
import dev.quarry.model.ErrorCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link StatusStore} must do. Extend it with the implementation under test; each test
 * uses its own random tenant and document ids, so a shared real index is fine.
 */
public abstract class StatusStoreContract {
    private static final Instant T0 = Instant.parse("2025-01-02T03:04:05.678Z");

    /** The store under test; called once before each test. */
    protected abstract StatusStore store();

    private StatusStore store;
    private String tenant;

    @BeforeEach
    void startContract() {
        store = store();
        tenant = "contract-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void get_of_an_unknown_document_is_empty() {
        assertThat(store.get(id("unknown"))).isEmpty();
    }

    @Test
    void update_of_a_missing_record_receives_empty_and_creates_what_it_returns() {
        AtomicReference<Optional<DocumentRecord>> seen = new AtomicReference<>();

        Optional<DocumentRecord> stored = store.update(id("a"), current -> {
            seen.set(current);
            return Optional.of(queued("a", T0));
        });

        assertThat(seen.get()).isEmpty();
        assertThat(stored).contains(queued("a", T0));
        assertThat(store.get(id("a"))).contains(queued("a", T0));
    }

    @Test
    void update_passes_the_stored_record_and_stores_the_change() {
        store.update(id("a"), current -> Optional.of(queued("a", T0)));

        Optional<DocumentRecord> stored = store.update(id("a"), current -> current
                .map(r -> r.newVersion("v1", "0055AED6DCD90C23D2", 1234, T0.plusSeconds(1))));

        DocumentRecord expected = queued("a", T0).newVersion("v1", "0055AED6DCD90C23D2", 1234, T0.plusSeconds(1));
        assertThat(stored).contains(expected);
        assertThat(store.get(id("a"))).contains(expected);
    }

    @Test
    void update_returning_empty_leaves_the_record_as_it_was_and_returns_it() {
        store.update(id("a"), current -> Optional.of(queued("a", T0)));

        Optional<DocumentRecord> result = store.update(id("a"), current -> Optional.empty());

        assertThat(result).contains(queued("a", T0));
        assertThat(store.get(id("a"))).contains(queued("a", T0));
    }

    @Test
    void update_returning_null_leaves_the_record_as_it_was() {
        store.update(id("a"), current -> Optional.of(queued("a", T0)));

        Optional<DocumentRecord> result = store.update(id("a"), current -> null);

        assertThat(result).contains(queued("a", T0));
        assertThat(store.get(id("a"))).contains(queued("a", T0));
    }

    @Test
    void update_returning_empty_for_a_missing_record_creates_nothing() {
        Optional<DocumentRecord> result = store.update(id("a"), current -> Optional.empty());

        assertThat(result).isEmpty();
        assertThat(store.get(id("a"))).isEmpty();
        assertThat(store.count(tenant)).isZero();
    }

    @Test
    void stores_every_field_of_a_record() {
        DocumentRecord full = new DocumentRecord(id("full"), tenant, "Jahresbericht 2024 (é).pdf",
                "documents/" + tenant + "/Jahresbericht 2024 (é).pdf", "0123456789abcdef0123456789abcdef", "0055AED6DCD90C23D2",
                DocumentStatus.FAILED, ErrorCode.NO_TEXT, "No text on any of the 3 pages.",
                List.of("Page 2: a font without Unicode mapping", "Page 3: no text"), 257_018, 3, 1, 1, 0,
                "The title", "The author", T0, T0.plusMillis(1500), 12_345, "fedcba9876543210fedcba9876543210");

        store.update(full.documentId(), current -> Optional.of(full));

        assertThat(store.get(full.documentId())).contains(full);
    }

    @Test
    void concurrent_updates_each_see_the_previous_result_so_none_is_lost() throws Exception {
        store.update(id("a"), current -> Optional.of(queued("a", T0)));
        int threads = 4;
        int perThread = 5;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        store.update(id("a"), current -> current.map(r -> r.progress(r.partsDone() + 1, T0)));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(store.get(id("a")).orElseThrow().partsDone()).isEqualTo(threads * perThread);
    }

    @Test
    void mark_part_done_counts_the_distinct_parts_of_a_version() {
        assertThat(store.markPartDone(id("a"), "v1", 0)).isEqualTo(1);
        assertThat(store.markPartDone(id("a"), "v1", 2)).isEqualTo(2);
        assertThat(store.markPartDone(id("a"), "v1", 1)).isEqualTo(3);
    }

    @Test
    void mark_part_done_twice_for_the_same_part_counts_it_once() {
        store.markPartDone(id("a"), "v1", 0);

        assertThat(store.markPartDone(id("a"), "v1", 0)).isEqualTo(1);
    }

    @Test
    void mark_part_done_counts_each_version_and_document_on_its_own() {
        store.markPartDone(id("a"), "v1", 0);
        store.markPartDone(id("a"), "v1", 1);
        store.markPartDone(id("b"), "v2", 0);

        assertThat(store.markPartDone(id("a"), "v2", 0)).isEqualTo(1);
        assertThat(store.markPartDone(id("b"), "v2", 1)).isEqualTo(2);
    }

    @Test
    void ingested_sums_the_tenants_documents_made_ready_within_the_period_only() {
        Instant day = T0.truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        store.update(id("a"), c -> Optional.of(ready(queued("a", day), day.plusSeconds(60), 1_000)));
        store.update(id("b"), c -> Optional.of(ready(queued("b", day), day.plusSeconds(120), 250)));
        store.update(id("c"), c -> Optional.of(ready(queued("c", day), day.minusSeconds(1), 9_000))); // the day before
        store.update(id("d"), c -> Optional.of(queued("d", day.plusSeconds(30)).withEmbeddingTokens(77))); // not READY
        store.update(id("e"), c -> Optional.of(ready(queued("e", day), day.plusSeconds(90), 500).deleted("s2", day.plusSeconds(95))));
        store.markPartDone(id("a"), "v1", 0, 4_000); // a part marker is no document

        assertThat(store.ingested(tenant, day, day.plus(java.time.Duration.ofDays(1))))
                .isEqualTo(new StatusStore.Ingested(2, 1_250));
        assertThat(store.ingested("another-" + tenant, day, day.plus(java.time.Duration.ofDays(1))))
                .isEqualTo(new StatusStore.Ingested(0, 0));
    }

    private static DocumentRecord ready(DocumentRecord queued, Instant at, long embeddingTokens) {
        return queued.newVersion("v1", "0001", 1000, at).planned(3, 1, null, null, at).ready(4, List.of(), at)
                .withEmbeddingTokens(embeddingTokens);
    }

    @Test
    void the_embedding_tokens_of_a_version_are_its_parts_each_counted_once() {
        store.markPartDone(id("a"), "v1", 0, 100);
        store.markPartDone(id("a"), "v1", 1, 20);
        store.markPartDone(id("a"), "v1", 1, 20); // a replayed part
        store.markPartDone(id("a"), "v2", 0, 5000);
        store.markPartDone(id("b"), "v1", 0, 7);

        assertThat(store.embeddingTokens(id("a"), "v1")).isEqualTo(120);
        assertThat(store.embeddingTokens(id("c"), "v1")).isZero();
    }

    @Test
    void delete_parts_forgets_every_part_of_the_document_only() {
        store.markPartDone(id("a"), "v1", 0);
        store.markPartDone(id("a"), "v2", 0);
        store.markPartDone(id("b"), "v1", 0);

        store.deleteParts(id("a"));

        assertThat(store.markPartDone(id("a"), "v1", 1)).isEqualTo(1);
        assertThat(store.markPartDone(id("a"), "v2", 1)).isEqualTo(1);
        assertThat(store.markPartDone(id("b"), "v1", 1)).isEqualTo(2);
    }

    @Test
    void part_markers_are_not_documents() {
        store.update(id("a"), current -> Optional.of(queued("a", T0)));
        store.markPartDone(id("a"), "v1", 0);

        assertThat(store.count(tenant)).isEqualTo(1);
        assertThat(store.list(tenant, 0, 10)).extracting(DocumentRecord::documentId).containsExactly(id("a"));
    }

    @Test
    void list_returns_the_tenants_documents_newest_first_without_deleted_ones() {
        store.update(id("old"), current -> Optional.of(queued("old", T0)));
        store.update(id("new"), current -> Optional.of(queued("new", T0.plusSeconds(60))));
        store.update(id("mid"), current -> Optional.of(queued("mid", T0.plusSeconds(30))));
        store.update(id("gone"), current -> Optional.of(queued("gone", T0.plusSeconds(90)).deleted("1", T0.plusSeconds(91))));
        String otherTenant = tenant + "-other";
        store.update(otherTenant + "-x", current -> Optional.of(DocumentRecord.queued(otherTenant + "-x", otherTenant, "x.pdf",
                "documents/" + otherTenant + "/x.pdf", T0.plusSeconds(120))));

        assertThat(store.list(tenant, 0, 10)).extracting(DocumentRecord::documentId)
                .containsExactly(id("new"), id("mid"), id("old"));
        assertThat(store.count(tenant)).isEqualTo(3);
    }

    @Test
    void list_pages_with_from_and_size() {
        for (int i = 0; i < 5; i++) {
            String name = "d" + i;
            Instant created = T0.plusSeconds(i);
            store.update(id(name), current -> Optional.of(queued(name, created)));
        }

        assertThat(store.list(tenant, 1, 2)).extracting(DocumentRecord::documentId).containsExactly(id("d3"), id("d2"));
        assertThat(store.list(tenant, 4, 10)).extracting(DocumentRecord::documentId).containsExactly(id("d0"));
        assertThat(store.list(tenant, 5, 10)).isEmpty();
    }

    @Test
    void count_of_a_tenant_without_documents_is_zero() {
        assertThat(store.count(tenant)).isZero();
        assertThat(store.list(tenant, 0, 10)).isEmpty();
    }

    private String id(String name) {
        return tenant + "-" + name;
    }

    private DocumentRecord queued(String name, Instant created) {
        return DocumentRecord.queued(id(name), tenant, name + ".pdf", "documents/" + tenant + "/" + name + ".pdf", created);
    }
}
