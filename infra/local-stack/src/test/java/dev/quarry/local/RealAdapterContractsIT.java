package dev.quarry.local;

import dev.quarry.adapters.opensearch.OpenSearchChunkIndex;
import dev.quarry.adapters.opensearch.OpenSearchClients;
import dev.quarry.adapters.opensearch.OpenSearchIndices;
import dev.quarry.adapters.opensearch.OpenSearchStatusStore;
import dev.quarry.adapters.s3.S3ObjectStore;
import dev.quarry.core.port.ChunkIndex;
import dev.quarry.core.port.ObjectStore;
import dev.quarry.core.port.StatusStore;
import dev.quarry.testsupport.ChunkIndexContract;
import dev.quarry.testsupport.ObjectStoreContract;
import dev.quarry.testsupport.StatusStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

/**
 * The same contract tests the in-memory fakes pass, run against the real adapters on the real
 * servers (STYLE 8): the fakes used by handler tests cannot drift from what production does.
 */
@ExtendWith(StackSession.class)
class RealAdapterContractsIT {
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String CHUNKS = "contract-chunks-" + SUFFIX;
    private static final String DOCS = "contract-documents-" + SUFFIX;
    private static OpenSearchClients.Handle os;

    static synchronized OpenSearchClients.Handle openSearch() {
        if (os == null) {
            os = OpenSearchClients.local(StackSession.ensure().openSearchEndpoint());
        }
        return os;
    }

    static OpenSearchIndices indices() {
        return new OpenSearchIndices(openSearch().client(), CHUNKS, DOCS, "contract-queries-" + SUFFIX);
    }

    @AfterAll
    static void dropIndices() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String index : new String[] {CHUNKS, DOCS, "contract-queries-" + SUFFIX}) {
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
            try {
                HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(StackSession.ensure().openSearchEndpoint()
                        + "/" + CHUNKS + "/_refresh")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static String modelIdOfContract() {
        return dev.quarry.testsupport.FakeEmbedder.MODEL_ID;
    }
}
