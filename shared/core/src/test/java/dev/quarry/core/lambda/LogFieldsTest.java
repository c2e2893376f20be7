package dev.quarry.core.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.quarry.core.pipeline.Keys;
import dev.quarry.core.pipeline.S3Notification;
import dev.quarry.core.port.RetryableException;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * The fields that correlate a record's log lines: every line written while a record is processed (by the stage
 * or anything it calls) finds them in the MDC, each record its own, and none of them outlives its record.
 */
class LogFieldsTest {
    private static final String TENANT = "acme";
    private static final String ID = Keys.documentId(TENANT, "manual.pdf");
    private static final String VERSION = "0123456789abcdef0123456789abcdef";

    /** What the MDC held each time the stage ran, with the key it ran for. */
    private final List<Map<String, Object>> seen = new ArrayList<>();

    @AfterEach
    void clean() {
        MDC.clear();
    }

    private Consumer<S3Notification> recordingStage(int failures) {
        return n -> {
            Map<String, Object> fields = new LinkedHashMap<>(MDC.getMap());
            fields.put("ranFor", n.key());
            seen.add(fields);
            if (seen.size() <= failures) {
                throw new RetryableException("OpenSearch answered 503");
            }
        };
    }

    private static S3EventBatchProcessor processor(Consumer<S3Notification> stage) {
        return new S3EventBatchProcessor("embed", stage, 3, new Backoff(3, Duration.ZERO, Duration.ZERO), (n, f) -> {
        }, d -> {
        }, new SplittableRandom(1));
    }

    private static String created(String... keys) {
        StringBuilder records = new StringBuilder();
        for (String key : keys) {
            records.append(records.isEmpty() ? "" : ",").append("""
                    {"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"quarry"},"object":{"key":"%s","size":10,"eTag":"\\"%s\\"","sequencer":"01"}}}"""
                    .formatted(key, VERSION));
        }
        return "{\"Records\":[" + records + "]}";
    }

    private static SQSEvent.SQSMessage message(String id, String body, int receiveCount) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(id);
        m.setBody(body);
        m.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(receiveCount)));
        return m;
    }

    private static SQSEvent batch(SQSEvent.SQSMessage... messages) {
        SQSEvent e = new SQSEvent();
        e.setRecords(List.of(messages));
        return e;
    }

    @Test
    void a_work_file_names_its_tenant_document_version_and_part() {
        S3Notification n = S3Notification.parse(created(Keys.work(Keys.CHUNKS, TENANT, ID, VERSION, 7))).getFirst();

        assertThat(LogFields.of(n)).containsExactly(entry("tenant", TENANT), entry("documentId", ID), entry("version", VERSION),
                entry("part", "7"));
    }

    @Test
    void an_upload_is_its_document_at_the_version_of_its_etag_and_a_delete_has_no_version() {
        S3Notification upload = S3Notification.parse(created(Keys.document(TENANT, "manual.pdf"))).getFirst();
        S3Notification delete = new S3Notification("ObjectRemoved:Delete", "quarry", Keys.document(TENANT, "manual.pdf"), 0, null, "02");

        assertThat(LogFields.of(upload)).containsExactly(entry("tenant", TENANT), entry("documentId", ID), entry("version", VERSION));
        assertThat(LogFields.of(delete)).containsExactly(entry("tenant", TENANT), entry("documentId", ID));
        assertThat(LogFields.of(new S3Notification("ObjectCreated:Put", "quarry", "elsewhere/x.txt", 1, "e", "03"))).isEmpty();
    }

    @Test
    void every_record_of_a_batch_is_processed_with_its_own_fields_and_none_remains_afterwards() {
        String part0 = Keys.work(Keys.CHUNKS, TENANT, ID, VERSION, 0);
        String other = Keys.work(Keys.CHUNKS, "globex", Keys.documentId("globex", "q3.pdf"), "fedcba", 2);
        String upload = Keys.document(TENANT, "manual.pdf");

        processor(recordingStage(0)).process(batch(message("m-1", created(part0, upload), 1), message("m-2", created(other), 2)),
                context("req-42"));

        assertThat(seen).hasSize(3);
        assertThat(seen.get(0)).containsEntry("ranFor", part0).containsEntry("stage", "embed").containsEntry("requestId", "req-42")
                .containsEntry("messageId", "m-1").containsEntry("attempt", "1").containsEntry("try", "1")
                .containsEntry("tenant", TENANT).containsEntry("documentId", ID).containsEntry("version", VERSION)
                .containsEntry("part", "0");
        assertThat(seen.get(1)).as("an upload has no part: the previous record's part is not carried over")
                .containsEntry("ranFor", upload).containsEntry("documentId", ID).doesNotContainKey("part");
        assertThat(seen.get(2)).containsEntry("messageId", "m-2").containsEntry("attempt", "2").containsEntry("tenant", "globex")
                .containsEntry("documentId", Keys.documentId("globex", "q3.pdf")).containsEntry("version", "fedcba")
                .containsEntry("part", "2");
        assertThat(MDC.getMap()).as("nothing outlives the batch").isEmpty();
    }

    @Test
    void in_process_retries_count_their_try_within_the_delivery() {
        String part = Keys.work(Keys.EMBEDDED, TENANT, ID, VERSION, 1);

        processor(recordingStage(2)).process(batch(message("m-1", created(part), 2)));

        assertThat(seen).extracting(f -> f.get("try")).containsExactly("1", "2", "3");
        assertThat(seen).allSatisfy(f -> assertThat(f).containsEntry("attempt", "2").containsEntry("documentId", ID));
        assertThat(MDC.getMap()).isEmpty();
    }

    @Test
    void fields_set_around_the_batch_are_restored_not_cleared() {
        MDC.put("documentId", "outer");
        MDC.put("custom", "kept");

        processor(recordingStage(0)).process(batch(message("m-1", created(Keys.work(Keys.CHUNKS, TENANT, ID, VERSION, 0)), 1)));

        assertThat(seen.getFirst()).containsEntry("documentId", ID).containsEntry("custom", "kept");
        assertThat(MDC.getMap()).containsOnly(entry("documentId", "outer"), entry("custom", "kept"));
    }

    private static Context context(String requestId) {
        return new Context() {
            public String getAwsRequestId() {
                return requestId;
            }

            public String getLogGroupName() {
                return null;
            }

            public String getLogStreamName() {
                return null;
            }

            public String getFunctionName() {
                return "quarry-embed";
            }

            public String getFunctionVersion() {
                return "$LATEST";
            }

            public String getInvokedFunctionArn() {
                return null;
            }

            public CognitoIdentity getIdentity() {
                return null;
            }

            public ClientContext getClientContext() {
                return null;
            }

            public int getRemainingTimeInMillis() {
                return 60_000;
            }

            public int getMemoryLimitInMB() {
                return 1024;
            }

            public LambdaLogger getLogger() {
                return null;
            }
        };
    }
}
