package dev.quarry.functions.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.testsupport.FakeSearchBackendHealth;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every line logged while a request is served carries the request's fields (MDC): the stage, the invocation's
 * and API Gateway's request ids, the caller's tenant and the document the path names; the next request starts
 * without them. The request's body never reaches the log.
 */
@QuarkusTest
class RequestLogFieldsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    FakeSearchBackendHealth backend;

    /** A line as the JSON console log would print it: the message and the MDC at the time it was logged. */
    record Line(String logger, String message, Map<String, String> mdc) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record instanceof ExtLogRecord ext) {
                lines.add(new Line(ext.getLoggerName(), ext.getFormattedMessage(), ext.getMdcCopy()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stop() {
        Logger.getLogger("").removeHandler(capture);
        backend.reset();
    }

    /** The fixture with API Gateway's request id replaced, so each request of a test is told apart. */
    private static LambdaEvent event(String fixture, String apiRequestId) {
        try (InputStream in = RequestLogFieldsTest.class.getResourceAsStream("/events/" + fixture)) {
            ObjectNode context = (ObjectNode) JSON.readTree(in).path("requestContext");
            context.put("requestId", apiRequestId);
            return LambdaEvent.from(fixture).raw("requestContext", context);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Line> linesOf(String apiRequestId) {
        return lines.stream().filter(l -> apiRequestId.equals(l.mdc().get("apiRequestId"))).toList();
    }

    @Test
    void a_document_request_ends_with_one_line_carrying_its_tenant_document_and_request_ids() {
        LambdaEvent.Reply reply = event("get-document-tenant-a.json", "api-req-1").send();

        assertThat(reply.status()).isEqualTo(404);
        List<Line> mine = linesOf("api-req-1");
        assertThat(mine).as("lines of the request among %s", lines).hasSize(1);
        Line line = mine.getFirst();
        assertThat(line.message()).matches("GET /v1/documents/000000000000000000000000 -> 404 in \\d+ ms");
        assertThat(line.mdc()).containsEntry("stage", "query").containsEntry("tenant", "tenant-a")
                .containsEntry("documentId", "000000000000000000000000");
        assertThat(line.mdc().get("requestId")).as("the invocation's request id").isNotBlank();
    }

    @Test
    void a_line_the_resource_logs_carries_the_request_fields_and_none_of_an_earlier_request() {
        event("get-document-tenant-a.json", "api-req-2").send();
        backend.unreachable();

        LambdaEvent.Reply reply = event("health-anonymous.json", "api-req-3").send();

        assertThat(reply.status()).isEqualTo(503);
        assertThat(linesOf("api-req-3")).as("lines of the request among %s", lines)
                .anySatisfy(l -> assertThat(l.message()).startsWith("Health check: OpenSearch did not answer"))
                .anySatisfy(l -> assertThat(l.message()).startsWith("GET /v1/health -> 503"))
                .allSatisfy(l -> assertThat(l.mdc()).containsEntry("stage", "query").doesNotContainKeys("tenant", "documentId"));
        assertThat(linesOf("api-req-2").getFirst().mdc().get("requestId"))
                .as("each invocation has its own request id")
                .isNotEqualTo(linesOf("api-req-3").getFirst().mdc().get("requestId"));
    }

    @Test
    void the_question_is_not_logged() {
        LambdaEvent.Reply reply = event("search-tenant-a.json", "api-req-4").send();

        assertThat(linesOf("api-req-4")).as("status %s", reply.status()).isNotEmpty()
                .allSatisfy(l -> assertThat(l.mdc()).containsEntry("tenant", "tenant-a"))
                .noneSatisfy(l -> assertThat(l.message()).containsIgnoringCase("warranty"));
    }
}
