package dev.quarry.functions.query;

import dev.quarry.core.metrics.MetricNames;
import dev.quarry.core.port.ChunkIndex;
import dev.quarry.core.port.Embedder;
import dev.quarry.core.port.RetryableException;
import dev.quarry.functions.query.service.Retriever;
import dev.quarry.testsupport.InMemoryChunkIndex;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every API response is counted by route template and error code, refused and failed ones included, in the request's
 * one EMF line: a client error (4xx), an error (a defect, 500) and an outage (503) each under its own metric, and
 * never a tenant or a document id as a dimension.
 */
@QuarkusTest
class ResponseMetricsTest {

    @Inject
    InMemoryChunkIndex index;
    @Inject
    Embedder embedder;

    @BeforeEach
    void seed() {
        index.clear();
        Corpus.seed(index, embedder);
    }

    @Test
    void an_invalid_search_is_a_client_error_of_its_route_and_code_and_no_search() {
        EmfLine line = onlyLine(LambdaEvent.from("search-tenant-a.json").body("{\"query\":\"  \"}"), 400);

        assertThat(line.dimension(MetricNames.ROUTE)).isEqualTo("POST /v1/search");
        assertThat(line.dimension(MetricNames.ERROR)).isEqualTo("invalid_request");
        assertThat(line.value(MetricNames.API_RESPONSES).asLong()).isEqualTo(1);
        assertThat(line.value(MetricNames.API_CLIENT_ERRORS).asLong()).isEqualTo(1);
        assertThat(line.value(MetricNames.API_ERRORS).isMissingNode()).isTrue();
        assertThat(line.value(MetricNames.API_OUTAGES).isMissingNode()).isTrue();
        assertThat(line.value(MetricNames.SEARCH_LATENCY).isMissingNode()).as("nothing was searched").isTrue();
        assertThat(line.value(MetricNames.SEARCH_REQUESTS).asLong()).isZero();
    }

    @Test
    void malformed_json_and_a_missing_tenant_claim_are_counted_under_their_codes() {
        assertThat(onlyLine(LambdaEvent.from("search-tenant-a.json").body("{\"query\":"), 400).dimension(MetricNames.ERROR))
                .isEqualTo("malformed_json");
        EmfLine unauthenticated = onlyLine(LambdaEvent.from("search-without-tenant-claim.json"), 401);
        assertThat(unauthenticated.dimension(MetricNames.ERROR)).isEqualTo("unauthorized");
        assertThat(unauthenticated.value(MetricNames.API_CLIENT_ERRORS).asLong()).isEqualTo(1);
    }

    @Test
    void a_document_route_is_counted_by_its_template_never_by_the_document_id() {
        EmfLine line = onlyLine(LambdaEvent.from("get-document-tenant-a.json").request("GET", "/v1/documents/doc-not-there-42"), 404);

        assertThat(line.dimension(MetricNames.ROUTE)).isEqualTo("GET /v1/documents/{documentId}");
        assertThat(line.dimension(MetricNames.ERROR)).isEqualTo("not_found");
        assertThat(line.root().toString()).doesNotContain("doc-not-there-42").doesNotContain(Corpus.TENANT_A);
    }

    @Test
    void a_path_or_method_no_resource_serves_is_counted_as_unmatched() {
        EmfLine line = onlyLine(LambdaEvent.from("search-tenant-a.json").request("GET", "/v1/no-such-thing/12345"), 404);
        EmfLine wrongMethod = onlyLine(LambdaEvent.from("search-tenant-a.json").request("DELETE", "/v1/search"), 405);

        assertThat(line.dimension(MetricNames.ROUTE)).isEqualTo(MetricNames.UNMATCHED);
        assertThat(line.root().toString()).doesNotContain("no-such-thing");
        assertThat(wrongMethod.dimension(MetricNames.ROUTE)).isEqualTo(MetricNames.UNMATCHED);
        assertThat(wrongMethod.dimension(MetricNames.ERROR)).isEqualTo("method_not_allowed");
    }

    @Test
    void a_defect_is_an_error_not_an_outage() {
        index.clear();
        index.checkModel("another-embedding-model", 7); // the index holds another model's vectors: misconfigured, 500

        EmfLine line = onlyLine(LambdaEvent.from("search-tenant-a.json"), 500);

        assertThat(line.dimension(MetricNames.ERROR)).isEqualTo("model_mismatch");
        assertThat(line.value(MetricNames.API_ERRORS).asLong()).isEqualTo(1);
        assertThat(line.value(MetricNames.API_OUTAGES).isMissingNode()).isTrue();
        assertThat(line.value(MetricNames.API_CLIENT_ERRORS).isMissingNode()).isTrue();
    }

    @Test
    void a_search_backend_outage_is_an_outage_not_an_error() {
        QuarkusMock.installMockForType(new Retriever() {
            @Override
            public Result search(String tenant, String query, int topK, ChunkIndex.Mode mode, List<String> documentIds) {
                throw new RetryableException("OpenSearch answered 503 to POST /_msearch");
            }
        }, Retriever.class);

        EmfLine line = onlyLine(LambdaEvent.from("search-tenant-a.json"), 503);

        assertThat(line.dimension(MetricNames.ROUTE)).isEqualTo("POST /v1/search");
        assertThat(line.dimension(MetricNames.ERROR)).isEqualTo("unavailable");
        assertThat(line.value(MetricNames.API_OUTAGES).asLong()).isEqualTo(1);
        assertThat(line.value(MetricNames.API_ERRORS).isMissingNode()).isTrue();
    }

    private static EmfLine onlyLine(LambdaEvent request, int status) {
        LambdaEvent.Reply[] reply = new LambdaEvent.Reply[1];
        List<EmfLine> lines = EmfLine.printedBy(() -> reply[0] = request.send());
        assertThat(reply[0].status()).as(reply[0].body()).isEqualTo(status);
        assertThat(lines).as("one EMF line per request").hasSize(1);
        return lines.get(0);
    }
}
