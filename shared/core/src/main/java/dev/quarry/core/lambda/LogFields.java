package dev.quarry.core.lambda;

import dev.quarry.core.pipeline.Keys;
import dev.quarry.core.pipeline.S3Notification;
import org.jboss.logging.MDC;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields that correlate log lines, carried in the logging MDC so that every line written while a record or a
 * request is processed has them (Quarkus' JSON console log prints them under {@code "mdc"}), the lines of libraries
 * included. One document's whole journey, every stage and every retry, is one filter on {@code documentId}.
 * Only identifiers go here: never document text, questions or secrets.
 */
public final class LogFields {
    public static final String TENANT = "tenant";
    public static final String DOCUMENT_ID = "documentId";
    public static final String VERSION = "version";
    public static final String STAGE = "stage";
    public static final String PART = "part";
    /** The delivery of the message (SQS ApproximateReceiveCount): 2 and more are the queue's retries. */
    public static final String ATTEMPT = "attempt";
    /** The try within one delivery: 2 and more are in-process retries. */
    public static final String TRY = "try";
    public static final String MESSAGE_ID = "messageId";
    /** The invocation's request id (Lambda's awsRequestId, API Gateway's requestId for HTTP). */
    public static final String REQUEST_ID = "requestId";

    private LogFields() {
    }

    /** The document a notification is about, read from its key: tenant, documentId, version and part when the key has them. */
    public static Map<String, String> of(S3Notification notification) {
        Map<String, String> fields = new LinkedHashMap<>();
        Keys.WorkKey work = Keys.parseWork(notification.key());
        if (work != null) {
            fields.put(TENANT, work.tenant());
            fields.put(DOCUMENT_ID, work.documentId());
            fields.put(VERSION, work.version());
            fields.put(PART, Integer.toString(work.part()));
            return fields;
        }
        Keys.DocumentKey upload = Keys.parseDocument(notification.key());
        if (upload != null) {
            fields.put(TENANT, upload.tenant());
            fields.put(DOCUMENT_ID, upload.documentId());
            if (notification.eTag() != null && !notification.eTag().isBlank()) {
                fields.put(VERSION, notification.eTag()); // an upload's version is its eTag, as in its work keys
            }
        }
        return fields;
    }

    /**
     * Puts {@code fields} into the MDC until the returned scope is closed, which restores what the keys held before
     * (so nested scopes, batch then message then record, undo only their own). Null values remove the key meanwhile.
     */
    public static Scope put(Map<String, String> fields) {
        Map<String, Object> previous = new LinkedHashMap<>();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            previous.put(field.getKey(), MDC.get(field.getKey()));
            if (field.getValue() == null) {
                MDC.remove(field.getKey());
            } else {
                MDC.put(field.getKey(), field.getValue());
            }
        }
        return new Scope(previous);
    }

    /** Puts one field; see {@link #put(Map)}. */
    public static Scope put(String key, String value) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(key, value);
        return put(fields);
    }

    /** Fields put for a while; closing restores the previous values. */
    public static final class Scope implements AutoCloseable {
        private final Map<String, Object> previous;

        private Scope(Map<String, Object> previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            for (Map.Entry<String, Object> field : previous.entrySet()) {
                if (field.getValue() == null) {
                    MDC.remove(field.getKey());
                } else {
                    MDC.put(field.getKey(), field.getValue());
                }
            }
        }
    }
}
