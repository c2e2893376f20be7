package dev.quarry.local;

import dev.quarry.adapters.opensearch.OpenSearchBackendHealth;
import dev.quarry.adapters.opensearch.OpenSearchChunkIndex;
import dev.quarry.adapters.opensearch.OpenSearchClients;
import dev.quarry.adapters.opensearch.OpenSearchIndices;
import dev.quarry.adapters.opensearch.OpenSearchQueryLog;
import dev.quarry.adapters.opensearch.OpenSearchStatusStore;
import dev.quarry.adapters.s3.S3ObjectStore;
import dev.quarry.core.port.ChunkIndex;
import dev.quarry.core.port.ObjectStore;
import dev.quarry.core.port.QueryHistory;
import dev.quarry.core.port.SearchBackendHealth;
import dev.quarry.core.port.StatusStore;
import dev.quarry.testsupport.ChunkIndexContract;
import dev.quarry.testsupport.ObjectStoreContract;
import dev.quarry.testsupport.QueryHistoryContract;
import dev.quarry.testsupport.SearchBackendHealthContract;
import dev.quarry.testsupport.StatusStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same contract tests the in-memory fakes pass, run against the real adapters on the real
 * servers (STYLE 8): the fakes used by handler tests cannot drift from what production does.
 */
@ExtendWith(StackSession.class)
class RealAdapterContractsIT {
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String CHUNKS = "contract-chunks-" + SUFFIX;
    private static final String DOCS = "contract-documents-" + SUFFIX;
    private static final String QUERIES = "contract-queries-" + SUFFIX;
    private static OpenSearchClients.Handle os;

    static synchronized OpenSearchClients.Handle openSearch() {
        if (os == null) {
            os = OpenSearchClients.local(StackSession.ensure().openSearchEndpoint());
        }
        return os;
    }

    static OpenSearchIndices indices() {
        return new OpenSearchIndices(openSearch().client(), CHUNKS, DOCS, QUERIES);
    }

    @AfterAll
    static void dropIndices() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String index : new String[] {CHUNKS, DOCS, QUERIES}) {
            http.send(HttpRequest.newBuilder(URI.create(StackSession.ensure().openSearchEndpoint() + "/" + index)).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        if (os != null) {
            os.close();
        }
    }

    @Nested
    class S3ObjectStoreContract extends ObjectStoreContract {
        @Override
        protected ObjectStore store() {
            StackConfig c = StackSession.ensure();
            return new S3ObjectStore(Clients.s3(c), c.bucket());
        }
    }

    @Nested
    class OpenSearchStatusStoreContract extends StatusStoreContract {
        @Override
        protected StatusStore store() {
            indices().ensureAll(modelIdOfContract(), 384);
            return new OpenSearchStatusStore(openSearch().client(), DOCS);
        }
    }

    @Nested
    class OpenSearchChunkIndexContract extends ChunkIndexContract {
        @Override
        protected ChunkIndex index() {
            return new OpenSearchChunkIndex(openSearch().client(), indices(), CHUNKS);
        }

        @Override
        protected void afterWrite() {
            refresh(CHUNKS);
        }
    }

    @Nested
    class OpenSearchQueryLogContract extends QueryHistoryContract {
        @Override
        protected QueryHistory history() {
            return new OpenSearchQueryLog(openSearch().client(), QUERIES, indices()::ensureQueriesIndex);
        }

        @Override
        protected void afterWrite() {
            refresh(QUERIES);
        }

        @Test
        void the_log_creates_its_index_from_its_definition_before_the_first_write() throws Exception {
            String fresh = "contract-queries-fresh-" + SUFFIX;
            try {
                QueryHistory log = new OpenSearchQueryLog(openSearch().client(), fresh,
                        new OpenSearchIndices(openSearch().client(), CHUNKS, DOCS, fresh)::ensureQueriesIndex);

                log.record(new QueryHistory.Entry("q-1", "acme", null, "q", "q", "a", "extractive", List.of(), 1, null,
                        java.time.Instant.parse("2026-01-01T00:00:00Z")));

                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        StackSession.ensure().openSearchEndpoint() + "/" + fresh + "/_mapping")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.body()).contains("\"dynamic\":\"strict\"").contains("\"conversationId\":{\"type\":\"keyword\"}");
            } finally {
                HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(StackSession.ensure().openSearchEndpoint() + "/"
                        + fresh)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
            }
        }
    }

    @Nested
    class OpenSearchBackendHealthContract extends SearchBackendHealthContract {
        @Override
        protected SearchBackendHealth health() {
            return new OpenSearchBackendHealth(openSearch().client());
        }
    }

    private static void refresh(String index) {
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(StackSession.ensure().openSearchEndpoint()
                    + "/" + index + "/_refresh")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String modelIdOfContract() {
        return dev.quarry.testsupport.FakeEmbedder.MODEL_ID;
    }
}
