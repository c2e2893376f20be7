package dev.quarry.local;

import dev.quarry.adapters.opensearch.OpenSearchChunkIndex;
import dev.quarry.adapters.opensearch.OpenSearchClients;
import dev.quarry.adapters.opensearch.OpenSearchIndices;
import dev.quarry.adapters.opensearch.OpenSearchStatusStore;
import dev.quarry.core.Ids;
import dev.quarry.core.port.ChunkIndex;
import dev.quarry.core.port.RetryableException;
import dev.quarry.core.port.StatusStore;
import dev.quarry.model.Chunk;
import dev.quarry.model.ChunkSpan;
import dev.quarry.model.IndexedChunk;
import dev.quarry.model.SearchHit;
import dev.quarry.testsupport.ChunkIndexContract;
import dev.quarry.testsupport.FakeEmbedder;
import dev.quarry.testsupport.SigV4Proxy;
import dev.quarry.testsupport.StatusStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The functions' AWS transport to OpenSearch, for real: the client the functions build in AWS mode
 * ({@code OpenSearchClients.create(endpoint, sigv4=true, region)}: opensearch-java's {@code AwsSdk2Transport},
 * SigV4 for service {@code es} over TLS, credentials from the default chain) talks to the real local
 * OpenSearch through {@link SigV4Proxy}, which refuses any request whose signature Amazon OpenSearch Service
 * would refuse. The adapters' contract tests run through it, so every call the functions make (index
 * creation, bulk writes, optimistic updates, searches, deletes by query) is signed and checked.
 */
@ExtendWith(StackSession.class)
class SigV4OpenSearchIT {
    private static final String REGION = "eu-west-1";
    private static final AwsBasicCredentials KEYS = AwsBasicCredentials.create("AKIDQUARRYSIGV4IT", "sigv4-it-secret");
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String CHUNKS = "sigv4-chunks-" + SUFFIX;
    private static final String DOCS = "sigv4-documents-" + SUFFIX;
    private static final String QUERIES = "sigv4-queries-" + SUFFIX;
    private static final String REFUSED = "sigv4-refused-" + SUFFIX;
    private static final Map<String, String> SAVED = new HashMap<>();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SigV4Proxy proxy;
    private static OpenSearchClients.Handle os;

    @BeforeAll
    static void openSearchBehindAVerifyingProxy() throws Exception {
        proxy = SigV4Proxy.builder(URI.create(StackSession.ensure().openSearchEndpoint()))
                .service("es").region(REGION).credentials(KEYS).https(true).start();
        // What a deployment provides and the client finds on its own: the domain's certificate is trusted
        // by the JVM, the role's credentials are in the default chain (here: system properties).
        setProperty("javax.net.ssl.trustStore", SigV4Proxy.trustStore().toString());
        setProperty("javax.net.ssl.trustStorePassword", SigV4Proxy.TRUST_STORE_PASSWORD);
        setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        setProperty("aws.accessKeyId", KEYS.accessKeyId());
        setProperty("aws.secretAccessKey", KEYS.secretAccessKey());
        os = OpenSearchClients.create(proxy.endpoint(), true, REGION);
    }

    @AfterAll
    static void stop() throws Exception {
        if (os != null) {
            os.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        SAVED.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
        for (String index : List.of(CHUNKS, DOCS, QUERIES, REFUSED)) {
            HTTP.send(HttpRequest.newBuilder(URI.create(StackSession.ensure().openSearchEndpoint() + "/" + index)).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    private static void setProperty(String key, String value) {
        SAVED.putIfAbsent(key, System.getProperty(key));
        System.setProperty(key, value);
    }

    private static OpenSearchIndices indices(OpenSearchClients.Handle handle) {
        return new OpenSearchIndices(handle.client(), CHUNKS, DOCS, QUERIES);
    }

    private static void refresh(String index) {
        try {
            os.client().indices().refresh(r -> r.index(index));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void the_functions_aws_client_creates_its_index_writes_and_searches_through_the_proxy_with_every_request_signed()
            throws Exception {
        ChunkIndex index = new OpenSearchChunkIndex(os.client(), indices(os), CHUNKS);
        FakeEmbedder embedder = new FakeEmbedder(FakeEmbedder.MODEL_ID, FakeEmbedder.DIMENSION);
        String tenant = "sigv4-" + SUFFIX;
        String text = "Replace the impeller of the pump every two years.";
        Chunk chunk = new Chunk(Ids.chunkId(tenant + "/manual", "v1", 0, 0), tenant, "manual", "v1", "manual.pdf", 0, 0, 2, 2,
                text, List.of(new ChunkSpan(2, 0, text.length())), 11);
        int before = proxy.calls().size();

        index.checkModel(FakeEmbedder.MODEL_ID, FakeEmbedder.DIMENSION);
        index.index(List.of(new IndexedChunk(chunk, embedder.embed(text))));
        refresh(CHUNKS);
        ChunkIndex.Retrieval found = index.search(new ChunkIndex.Query(tenant, "impeller", embedder.embedQuery("impeller"), 5,
                ChunkIndex.Mode.HYBRID, null));

        assertThat(found.bm25()).extracting(SearchHit::chunkId).containsExactly(chunk.chunkId());
        assertThat(found.knn()).extracting(SearchHit::chunkId).containsExactly(chunk.chunkId());
        List<SigV4Proxy.Call> calls = proxy.calls().subList(before, proxy.calls().size());
        assertThat(calls).as("every request went through the proxy, signed and accepted").isNotEmpty()
                .allSatisfy(c -> assertThat(c.forwarded()).as("%s %s: %s", c.method(), c.path(), c.refusal()).isTrue());
        assertThat(calls).extracting(c -> c.method() + " " + c.path())
                .contains("PUT /" + CHUNKS, "POST /_bulk", "POST /" + CHUNKS + "/_refresh");
        HttpResponse<String> direct = HTTP.send(HttpRequest.newBuilder(URI.create(StackSession.ensure().openSearchEndpoint()
                + "/" + CHUNKS + "/_doc/" + chunk.chunkId())).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(direct.statusCode()).as("the chunk is in the real OpenSearch").isEqualTo(200);
        assertThat(direct.body()).contains(text);
    }

    @Test
    void a_client_signing_with_another_secret_is_refused_and_changes_nothing() throws Exception {
        assertRefusedAndNothingCreated(OpenSearchClients.sigV4(proxy.endpoint(), REGION,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(KEYS.accessKeyId(), "not-the-secret"))),
                "signature we calculated does not match");
    }

    @Test
    void a_client_signing_for_another_region_is_refused_and_changes_nothing() throws Exception {
        assertRefusedAndNothingCreated(OpenSearchClients.sigV4(proxy.endpoint(), "us-east-1", StaticCredentialsProvider.create(KEYS)),
                "scoped to a valid region");
    }

    @Test
    void an_unsigned_client_is_refused_and_changes_nothing() throws Exception {
        assertRefusedAndNothingCreated(null, "Missing Authentication Token");
    }

    private void assertRefusedAndNothingCreated(OpenSearchClients.Handle client, String reason) throws Exception {
        int before = proxy.calls().size();
        if (client == null) {
            HttpClient plain = HttpClient.newBuilder().sslContext(SigV4Proxy.clientContext()).build();
            HttpResponse<String> response = plain.send(HttpRequest.newBuilder(URI.create(proxy.endpoint() + "/" + REFUSED))
                    .PUT(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.headers().firstValue("x-amzn-ErrorType")).isPresent();
        } else {
            try (client) {
                OpenSearchIndices refused = new OpenSearchIndices(client.client(), REFUSED, REFUSED + "-documents", REFUSED + "-queries");
                assertThatThrownBy(() -> refused.ensureChunkIndex(FakeEmbedder.MODEL_ID, FakeEmbedder.DIMENSION))
                        .as("a refused signature is a permanent failure naming the answer, not an outage to retry")
                        .isNotInstanceOf(RetryableException.class)
                        .hasMessageContaining("Failed to create index " + REFUSED + ": OpenSearch answered 403");
            }
        }

        List<SigV4Proxy.Call> calls = proxy.calls().subList(before, proxy.calls().size());
        assertThat(calls).isNotEmpty().allSatisfy(c -> {
            assertThat(c.status()).isEqualTo(403);
            assertThat(c.refusal()).hasValueSatisfying(r -> assertThat(r.message()).contains(reason));
        });
        HttpResponse<String> direct = HTTP.send(HttpRequest.newBuilder(URI.create(StackSession.ensure().openSearchEndpoint()
                + "/" + REFUSED)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(direct.statusCode()).as("no index was created in the real OpenSearch").isEqualTo(404);
    }

    @Nested
    class ChunkIndexThroughSigV4 extends ChunkIndexContract {
        @Override
        protected ChunkIndex index() {
            return new OpenSearchChunkIndex(os.client(), indices(os), CHUNKS);
        }

        @Override
        protected void afterWrite() {
            refresh(CHUNKS);
        }
    }

    @Nested
    class StatusStoreThroughSigV4 extends StatusStoreContract {
        @Override
        protected StatusStore store() {
            return new OpenSearchStatusStore(os.client(), DOCS, indices(os)::ensureStatusIndex);
        }
    }
}
