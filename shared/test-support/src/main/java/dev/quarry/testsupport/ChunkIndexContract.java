package dev.quarry.testsupport;

import dev.quarry.core.Ids;
import dev.quarry.core.port.ChunkIndex;
import dev.quarry.model.Chunk;
import dev.quarry.model.ChunkSpan;
import dev.quarry.model.IndexedChunk;
import dev.quarry.model.SearchHit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link ChunkIndex} must do. Extend it with the implementation under test; each test
 * uses its own random tenant, so a shared real index is fine as long as {@link #modelId()} and
 * {@link #dimension()} are the ones it was created for.
 */
public abstract class ChunkIndexContract {

    /** The index under test; called once before each test. */
    protected abstract ChunkIndex index();

    /** The model the index is (or will be) made for. */
    protected String modelId() {
        return FakeEmbedder.MODEL_ID;
    }

    protected int dimension() {
        return FakeEmbedder.DIMENSION;
    }

    /** Makes writes visible to search (OpenSearch: refresh the index). Nothing by default. */
    protected void afterWrite() {
    }

    private ChunkIndex index;
    private FakeEmbedder embedder;
    private String tenant;

    @BeforeEach
    void startContract() {
        index = index();
        embedder = new FakeEmbedder(modelId(), dimension());
        tenant = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        index.checkModel(modelId(), dimension());
    }

    @Test
    void counts_the_chunks_of_a_document_version() {
        write(chunk(tenant, "doc-a", "v1", 0, "The pump must be primed before start."),
                chunk(tenant, "doc-a", "v1", 1, "Close the valve after use."),
                chunk(tenant, "doc-a", "v2", 0, "The pump is self-priming."));

        assertThat(index.count(tenant, "doc-a", "v1")).isEqualTo(2);
        assertThat(index.count(tenant, "doc-a", "v2")).isEqualTo(1);
        assertThat(index.count(tenant, "doc-a", null)).isEqualTo(3);
        assertThat(index.count(tenant, "doc-b", null)).isZero();
    }

    @Test
    void writing_a_chunk_id_again_overwrites_it() {
        write(chunk(tenant, "doc-a", "v1", 0, "first text"));
        write(chunk(tenant, "doc-a", "v1", 0, "second text"));

        assertThat(index.count(tenant, "doc-a", "v1")).isEqualTo(1);
        assertThat(search("second", ChunkIndex.Mode.BM25, null).bm25()).extracting(SearchHit::text).containsExactly("second text");
    }

    @Test
    void delete_document_removes_all_its_versions_and_nothing_else() {
        write(chunk(tenant, "doc-a", "v1", 0, "alpha"), chunk(tenant, "doc-a", "v2", 0, "alpha"),
                chunk(tenant, "doc-b", "v1", 0, "alpha"));

        index.deleteDocument(tenant, "doc-a");
        afterWrite();

        assertThat(index.count(tenant, "doc-a", null)).isZero();
        assertThat(index.count(tenant, "doc-b", null)).isEqualTo(1);
    }

    @Test
    void delete_part_except_removes_what_an_earlier_run_of_the_same_version_left_in_that_part_only() {
        Chunk kept = chunk(tenant, "doc-a", "v1", 0, 0, "alpha");
        write(kept, chunk(tenant, "doc-a", "v1", 0, 1, "stale beta"), chunk(tenant, "doc-a", "v1", 0, 2, "stale gamma"),
                chunk(tenant, "doc-a", "v1", 1, 0, "other part"), chunk(tenant, "doc-a", "v2", 0, 1, "other version"),
                chunk(tenant, "doc-b", "v1", 0, 1, "other document"));

        index.deletePartExcept(tenant, "doc-a", "v1", 0, List.of(kept.chunkId()));
        afterWrite();

        assertThat(index.count(tenant, "doc-a", "v1")).isEqualTo(2);
        assertThat(index.count(tenant, "doc-a", "v2")).isEqualTo(1);
        assertThat(index.count(tenant, "doc-b", "v1")).isEqualTo(1);
        assertThat(search("stale", ChunkIndex.Mode.BM25, null).bm25()).isEmpty();
        assertThat(search("alpha", ChunkIndex.Mode.BM25, null).bm25()).extracting(SearchHit::chunkId).containsExactly(kept.chunkId());
    }

    @Test
    void delete_other_versions_keeps_only_the_given_one() {
        write(chunk(tenant, "doc-a", "v1", 0, "alpha"), chunk(tenant, "doc-a", "v2", 0, "alpha"),
                chunk(tenant, "doc-a", "v3", 0, "alpha"), chunk(tenant, "doc-b", "v1", 0, "alpha"));

        index.deleteOtherVersions(tenant, "doc-a", "v2");
        afterWrite();

        assertThat(index.count(tenant, "doc-a", null)).isEqualTo(1);
        assertThat(index.count(tenant, "doc-a", "v2")).isEqualTo(1);
        assertThat(index.count(tenant, "doc-b", "v1")).isEqualTo(1);
    }

    @Test
    void bm25_finds_chunks_with_a_query_word_of_this_tenant_only() {
        String other = tenant + "-other";
        write(chunk(tenant, "doc-a", "v1", 0, "Replace the impeller every two years."),
                chunk(tenant, "doc-a", "v1", 1, "Check the oil level weekly."),
                chunk(other, "doc-x", "v1", 0, "Replace the impeller of the other tenant."));

        ChunkIndex.Retrieval r = search("impeller replacement", ChunkIndex.Mode.BM25, null);

        assertThat(r.bm25()).extracting(SearchHit::text).containsExactly("Replace the impeller every two years.");
        assertThat(r.bm25().get(0).score()).isPositive();
        assertThat(r.knn()).isEmpty();
    }

    @Test
    void bm25_finds_a_passage_by_its_documents_context_and_its_section_but_never_returns_them_as_text() {
        Chunk nike2019 = withContext(chunk(tenant, "nike-2019", "v1", 0, "Inventories 5,622 5,261"),
                "NIKE 2019 10K | NIKE, Inc. | fiscal year ended May 31, 2019 (FY2019)",
                "CONSOLIDATED BALANCE SHEETS | (Dollars in millions) 2019 2018");
        Chunk nike2021 = withContext(chunk(tenant, "nike-2021", "v1", 0, "Inventories 6,854 7,367"),
                "NIKE 2021 10K | NIKE, Inc. | fiscal year ended May 31, 2021 (FY2021)",
                "CONSOLIDATED BALANCE SHEETS | (Dollars in millions) 2021 2020");
        Chunk other = chunk(tenant, "other", "v1", 0, "Inventories were counted twice a year.");
        write(nike2019, nike2021, other);

        List<SearchHit> hits = search("Nike FY2019 inventories balance sheet", ChunkIndex.Mode.BM25, null).bm25();

        assertThat(hits).extracting(SearchHit::documentId).first().isEqualTo("nike-2019");
        assertThat(hits.get(0).text()).isEqualTo("Inventories 5,622 5,261");
        assertThat(hits.get(0).section()).isEqualTo("CONSOLIDATED BALANCE SHEETS | (Dollars in millions) 2019 2018");
        assertThat(search("consolidated balance sheets", ChunkIndex.Mode.BM25, null).bm25())
                .extracting(SearchHit::documentId).containsExactlyInAnyOrder("nike-2019", "nike-2021");
    }

    @Test
    void bm25_ranks_the_chunk_with_more_query_words_first() {
        write(chunk(tenant, "doc-a", "v1", 0, "The valve is on the left."),
                chunk(tenant, "doc-a", "v1", 1, "The pressure valve opens at six bar of pressure."),
                chunk(tenant, "doc-a", "v1", 2, "Unrelated text about the weather."));

        List<SearchHit> hits = search("pressure valve", ChunkIndex.Mode.BM25, null).bm25();

        assertThat(hits).extracting(SearchHit::text)
                .containsExactly("The pressure valve opens at six bar of pressure.", "The valve is on the left.");
    }

    @Test
    void knn_ranks_the_most_similar_chunk_first_within_the_tenant() {
        write(chunk(tenant, "doc-a", "v1", 0, "hydraulic pump pressure relief valve"),
                chunk(tenant, "doc-a", "v1", 1, "holiday calendar and vacation days"),
                chunk(tenant + "-other", "doc-x", "v1", 0, "hydraulic pump pressure relief valve"));

        List<SearchHit> hits = search("pump pressure valve", ChunkIndex.Mode.KNN, null).knn();

        assertThat(hits).extracting(SearchHit::text)
                .containsExactly("hydraulic pump pressure relief valve", "holiday calendar and vacation days");
        assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score());
    }

    @Test
    void knn_filters_by_tenant_during_the_search_not_after_it() {
        String other = tenant + "-other";
        Chunk[] crowd = new Chunk[30];
        for (int i = 0; i < crowd.length; i++) {
            crowd[i] = chunk(other, "doc-x", "v1", i, "pump pressure valve");
        }
        write(crowd);
        write(chunk(tenant, "doc-a", "v1", 0, "holiday calendar and vacation days"),
                chunk(tenant, "doc-a", "v1", 1, "canteen opening hours"));

        // Another tenant owns the 30 nearest vectors; a filter applied after a k=2 search would return nothing.
        String text = "pump pressure valve";
        List<SearchHit> hits = index.search(new ChunkIndex.Query(tenant, text, embedder.embedQuery(text), 2,
                ChunkIndex.Mode.KNN, null)).knn();

        assertThat(hits).hasSize(2).allSatisfy(h -> assertThat(h.documentId()).isEqualTo("doc-a"));
    }

    @Test
    void a_query_of_two_thousand_cjk_characters_is_searched_not_refused() {
        write(chunk(tenant, "doc-a", "v1", 0, "\u6cf5\u7684\u538b\u529b \u9600\u95e8 pump pressure"));
        StringBuilder text = new StringBuilder("\u6cf5\u7684\u538b\u529b ");
        for (int i = 0; text.length() < 2000; i++) {
            text.append((char) (0x4e00 + i % 5000));
        }

        ChunkIndex.Retrieval r = search(text.toString(), ChunkIndex.Mode.BM25, null);

        assertThat(r.bm25()).extracting(SearchHit::documentId).containsExactly("doc-a");
    }

    @Test
    void hybrid_search_returns_both_lists_filtered_to_the_given_documents() {
        write(chunk(tenant, "doc-a", "v1", 0, "torque settings for the main bolt"),
                chunk(tenant, "doc-b", "v1", 0, "torque settings for the spare bolt"));

        ChunkIndex.Retrieval r = search("torque settings", ChunkIndex.Mode.HYBRID, List.of("doc-b"));

        assertThat(r.bm25()).extracting(SearchHit::documentId).containsExactly("doc-b");
        assertThat(r.knn()).extracting(SearchHit::documentId).containsExactly("doc-b");
    }

    @Test
    void hits_carry_the_chunks_source_pages_and_spans() {
        Chunk c = chunk(tenant, "doc-a", "v1", 0, "Spare parts are listed in annex B.");
        write(c);

        SearchHit hit = search("annex", ChunkIndex.Mode.BM25, null).bm25().get(0);

        assertThat(hit.chunkId()).isEqualTo(c.chunkId());
        assertThat(hit.documentId()).isEqualTo("doc-a");
        assertThat(hit.name()).isEqualTo("doc-a.pdf");
        assertThat(hit.pageStart()).isEqualTo(3);
        assertThat(hit.pageEnd()).isEqualTo(4);
        assertThat(hit.spans()).isEqualTo(c.spans());
    }

    @Test
    void search_without_a_tenant_is_refused() {
        assertThatThrownBy(() -> index.search(new ChunkIndex.Query(" ", "anything", null, 5, ChunkIndex.Mode.BM25, null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void checking_the_model_of_the_index_again_keeps_its_chunks_searchable() {
        write(chunk(tenant, "doc-a", "v1", 0, "Spare parts are listed in annex B."));

        index.checkModel(modelId(), dimension());
        write(chunk(tenant, "doc-a", "v1", 1, "The warranty annex lists the dealers."));

        assertThat(index.count(tenant, "doc-a", "v1")).as("chunks written before and after the check").isEqualTo(2);
        assertThat(search("annex", ChunkIndex.Mode.HYBRID, null).knn()).hasSize(2);
    }

    @Test
    void check_model_refuses_another_model_or_dimension() {
        assertThatThrownBy(() -> index.checkModel(modelId() + "-other", dimension()))
                .isInstanceOf(ChunkIndex.ModelMismatchException.class)
                .hasMessageContaining(modelId());
        assertThatThrownBy(() -> index.checkModel(modelId(), dimension() + 1))
                .isInstanceOf(ChunkIndex.ModelMismatchException.class);
    }

    @Test
    void hidden_chunks_are_counted_but_no_search_finds_them_until_their_version_is_published() {
        write(chunk(tenant, "doc-a", "v1", 0, "The pump station drains the northern basin."));
        writeHidden(chunk(tenant, "doc-a", "v2", 0, 0, "The pump station was rebuilt in 2024."),
                chunk(tenant, "doc-a", "v2", 1, 0, "The pump station now drains both basins."));
        afterWrite();

        assertThat(index.count(tenant, "doc-a", "v2")).as("hidden chunks are there").isEqualTo(2);
        for (ChunkIndex.Mode mode : ChunkIndex.Mode.values()) {
            ChunkIndex.Retrieval found = search("pump station basins", mode, null);
            assertThat(java.util.stream.Stream.concat(found.bm25().stream(), found.knn().stream()).map(h -> h.text()))
                    .as("%s search before publishing", mode).containsOnly("The pump station drains the northern basin.");
        }

        index.publish(tenant, "doc-a", "v2");
        afterWrite();

        assertThat(search("pump station basins", ChunkIndex.Mode.BM25, null).bm25()).as("after publishing v2").hasSize(3);
        assertThat(search("pump station basins", ChunkIndex.Mode.KNN, null).knn()).as("after publishing v2").hasSize(3);
    }

    @Test
    void publishing_a_part_just_written_shows_that_part_only_and_publishing_again_changes_nothing() {
        writeHidden(chunk(tenant, "doc-a", "v1", 0, 0, "Turbine blades are inspected monthly."),
                chunk(tenant, "doc-a", "v1", 1, 0, "Turbine bearings are greased weekly."));

        index.publishPart(tenant, "doc-a", "v1", 1);
        index.publishPart(tenant, "doc-a", "v1", 1);
        afterWrite();

        assertThat(search("turbine", ChunkIndex.Mode.HYBRID, null).bm25()).extracting(h -> h.text())
                .containsExactly("Turbine bearings are greased weekly.");
        index.publish(tenant, "doc-a", "v1");
        afterWrite();
        assertThat(search("turbine", ChunkIndex.Mode.HYBRID, null).bm25()).hasSize(2);
    }

    @Test
    void a_chunk_written_searchable_again_is_shown_and_hidden_chunks_go_with_their_document() {
        Chunk shown = chunk(tenant, "doc-a", "v1", 0, "Valves are tested at 16 bar.");
        writeHidden(shown, chunk(tenant, "doc-b", "v1", 0, "Valves of doc b are tested at 10 bar."));
        write(shown);

        assertThat(search("valves tested", ChunkIndex.Mode.BM25, null).bm25()).extracting(h -> h.documentId())
                .containsExactly("doc-a");
        index.deleteDocument(tenant, "doc-b");
        afterWrite();
        assertThat(index.count(tenant, "doc-b", null)).isZero();
    }

    private ChunkIndex.Retrieval search(String text, ChunkIndex.Mode mode, List<String> documentIds) {
        return index.search(new ChunkIndex.Query(tenant, text, embedder.embedQuery(text), 10, mode, documentIds));
    }

    private void write(Chunk... chunks) {
        index.index(List.of(chunks).stream().map(c -> new IndexedChunk(c, embedder.embed(c.text()))).toList());
        afterWrite();
    }

    /** Writes hidden chunks and, unlike {@link #write}, does not refresh: publishing must find what was just written. */
    private void writeHidden(Chunk... chunks) {
        index.index(List.of(chunks).stream().map(c -> new IndexedChunk(c, embedder.embed(c.text()))).toList(), false);
    }

    private static Chunk withContext(Chunk c, String context, String section) {
        return new Chunk(c.chunkId(), c.tenant(), c.documentId(), c.version(), c.name(), c.part(), c.ordinal(), c.pageStart(),
                c.pageEnd(), c.text(), c.spans(), c.tokenCount(), context, section);
    }

    private static Chunk chunk(String tenant, String documentId, String version, int ordinal, String text) {
        return chunk(tenant, documentId, version, 0, ordinal, text);
    }

    private static Chunk chunk(String tenant, String documentId, String version, int part, int ordinal, String text) {
        int half = text.length() / 2;
        return new Chunk(Ids.chunkId(tenant + "/" + documentId, version, part, ordinal), tenant, documentId, version,
                documentId + ".pdf", part, ordinal, 3, 4, text,
                List.of(new ChunkSpan(3, 100, 100 + half), new ChunkSpan(4, 0, text.length() - half - 1)), 12);
    }
}
