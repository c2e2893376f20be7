package dev.quarry.adapters.opensearch;

import static dev.quarry.adapters.opensearch.ScriptedOpenSearch.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.core.port.Failures;
import dev.quarry.core.port.RetryableException;
import dev.quarry.model.ErrorCode;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opensearch.client.opensearch._types.ErrorResponse;
import org.opensearch.client.opensearch._types.OpenSearchException;

/**
 * Every failure of a typed request is classified in one place, the same whichever transport threw it: the HTTP
 * transport throws an OpenSearchException for some statuses and a ResponseException for others, the SigV4
 * transport an OpenSearchException for all.
 */
class OpenSearchCallTest {

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 502, 503})
    void throttling_and_server_errors_are_transient(int status) throws Exception {
        try (ScriptedOpenSearch os = new ScriptedOpenSearch(r -> error(status, "some_exception", "busy"))) {
            assertThatThrownBy(() -> count(os)).isInstanceOf(RetryableException.class)
                    .hasMessageContaining("Failed to count documents").hasMessageContaining(String.valueOf(status));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void a_refused_caller_is_access_denied_with_what_to_check(int status) throws Exception {
        try (ScriptedOpenSearch os = new ScriptedOpenSearch(r -> error(status, "security_exception", "no permissions for [indices:data/read/search]"))) {
            Failures.Failure f = Failures.classify(catchFailure(() -> count(os)), "index");

            assertThat(f.permanent()).isTrue();
            assertThat(f.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
            assertThat(f.reason()).startsWith("Failed to count documents: OpenSearch answered " + status).contains("domain's access policy");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 409})
    void another_refusal_is_permanent_and_names_the_action(int status) throws Exception {
        try (ScriptedOpenSearch os = new ScriptedOpenSearch(r -> error(status, "some_exception", "refused"))) {
            Failures.Failure f = Failures.classify(catchFailure(() -> count(os)), "index");

            assertThat(f.permanent()).isTrue();
            assertThat(f.code()).isEqualTo(ErrorCode.INTERNAL);
            assertThat(f.reason()).startsWith("Failed to count documents: OpenSearch answered " + status);
        }
    }

    @Test
    void a_refusal_without_an_opensearch_error_body_keeps_its_status() throws Exception {
        // A proxy or load balancer in front of the domain answers with its own body.
        try (ScriptedOpenSearch os = new ScriptedOpenSearch(r -> new ScriptedOpenSearch.Answer(403, "<html>Forbidden</html>"))) {
            Failures.Failure f = Failures.classify(catchFailure(() -> count(os)), "index");

            assertThat(f.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
            assertThat(f.reason()).startsWith("Failed to count documents: OpenSearch answered 403");
        }
    }

    @Test
    void no_answer_is_transient() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (OpenSearchClients.Handle os = OpenSearchClients.local("http://127.0.0.1:" + port)) {
            assertThatThrownBy(() -> OpenSearchCall.send("count documents", () -> os.client().count(c -> c.index("x"))))
                    .isInstanceOf(RetryableException.class).hasMessageContaining("Failed to count documents: OpenSearch is not reachable");
        }
    }

    @Test
    void the_sigv4_transports_exceptions_are_classified_by_their_status() {
        // AwsSdk2Transport throws OpenSearchException for every error status, the signature check's 403 included.
        assertThat(OpenSearchCall.failure("update status of d1", sigV4(403, "security_exception")))
                .isInstanceOf(OpenSearchFailure.class).hasMessageContaining("access denied");
        assertThat(OpenSearchCall.failure("update status of d1", sigV4(503, "http_exception"))).isInstanceOf(RetryableException.class);
        assertThat(OpenSearchCall.status(sigV4(409, "version_conflict_engine_exception"))).isEqualTo(409);
        assertThat(OpenSearchCall.errorType(sigV4(400, "resource_already_exists_exception"))).isEqualTo("resource_already_exists_exception");
    }

    @Test
    void a_conflict_over_the_http_transport_keeps_its_status() throws Exception {
        try (ScriptedOpenSearch os = new ScriptedOpenSearch(r -> error(409, "version_conflict_engine_exception", "conflict"))) {
            Exception e = catchException(() -> os.client().index(i -> i.index("x").id("1").document(java.util.Map.of()).ifSeqNo(1L)
                    .ifPrimaryTerm(1L)));

            assertThat(OpenSearchCall.status(e)).isEqualTo(409);
        }
    }

    private static OpenSearchException sigV4(int status, String type) {
        return new OpenSearchException(ErrorResponse.of(r -> r.status(status).error(e -> e.type(type).reason("server returned " + status))));
    }

    private static long count(ScriptedOpenSearch os) {
        return OpenSearchCall.send("count documents", () -> os.client().count(c -> c.index("quarry-documents"))).count();
    }

    private static RuntimeException catchFailure(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    private interface Call {
        void run() throws Exception;
    }

    private static Exception catchException(Call call) {
        try {
            call.run();
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }
}
