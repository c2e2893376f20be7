package dev.quarry.testsupport;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.core.pipeline.S3Notification;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the JSON Lambda hands an SQS-triggered function when S3 notifications go through a queue:
 * an SQS event whose message bodies are S3 event notifications, with the fields and encodings the
 * services send (keys form-encoded, eTags without quotes, removals without size or eTag). Values
 * that would be random or time-dependent in AWS are fixed, so the same call gives the same JSON.
 */
public final class S3Events {
    public static final String REGION = "us-east-1";
    public static final String QUEUE_ARN = "arn:aws:sqs:us-east-1:000000000000:quarry-test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENT_TIME = "2025-01-01T00:00:00.000Z";
    private static final String SENT_TIMESTAMP = "1735689600000";

    private S3Events() {
    }

    /** One SQS message of a batch. */
    public record Message(String messageId, String body) {
    }

    /** An ObjectCreated:Put of {@code content}, with its size and eTag (MD5, as S3 gives a single-part upload). */
    public static S3Notification created(String bucket, String key, byte[] content, String sequencer) {
        return created(bucket, key, content.length, InMemoryObjectStore.md5Hex(content), sequencer);
    }

    public static S3Notification created(String bucket, String key, long size, String eTag, String sequencer) {
        return new S3Notification("ObjectCreated:Put", bucket, key, size, eTag, sequencer);
    }

    /** An ObjectRemoved:Delete; S3 sends no size or eTag for it. */
    public static S3Notification removed(String bucket, String key, String sequencer) {
        return new S3Notification("ObjectRemoved:Delete", bucket, key, 0, null, sequencer);
    }

    /** The body S3 sends to the queue: {"Records":[...]} with one record per notification. */
    public static String notification(S3Notification... records) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("Records");
        for (S3Notification n : records) {
            ObjectNode r = array.addObject();
            r.put("eventVersion", "2.1");
            r.put("eventSource", "aws:s3");
            r.put("awsRegion", REGION);
            r.put("eventTime", EVENT_TIME);
            r.put("eventName", n.eventName());
            r.putObject("userIdentity").put("principalId", "AWS:TESTPRINCIPAL");
            r.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
            r.putObject("responseElements").put("x-amz-request-id", "TESTREQUEST").put("x-amz-id-2", "TESTHOST");
            ObjectNode s3 = r.putObject("s3");
            s3.put("s3SchemaVersion", "1.0");
            s3.put("configurationId", "quarry");
            ObjectNode bucket = s3.putObject("bucket");
            bucket.put("name", n.bucket());
            bucket.putObject("ownerIdentity").put("principalId", "TESTOWNER");
            bucket.put("arn", "arn:aws:s3:::" + n.bucket());
            ObjectNode object = s3.putObject("object");
            object.put("key", formEncode(n.key()));
            if (n.eventName().startsWith("ObjectCreated")) {
                object.put("size", n.size());
                object.put("eTag", n.eTag());
            }
            object.put("sequencer", n.sequencer());
        }
        return write(root);
    }

    /** The s3:TestEvent S3 sends once when notifications are configured. */
    public static String testEvent(String bucket) {
        ObjectNode root = JSON.createObjectNode();
        root.put("Service", "Amazon S3").put("Event", "s3:TestEvent").put("Time", EVENT_TIME).put("Bucket", bucket)
                .put("RequestId", "TESTREQUEST").put("HostId", "TESTHOST");
        return write(root);
    }

    /**
     * One SQS message as Lambda hands it to a function: its id, body, receive count, the queue's ARN
     * ({@link #QUEUE_ARN}) and a receipt handle that names the id and the delivery ({@code handle-<id>-<count>}).
     */
    public static SQSEvent.SQSMessage sqsMessage(String messageId, String body, int receiveCount) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(messageId);
        m.setReceiptHandle("handle-" + messageId + "-" + receiveCount);
        m.setEventSourceArn(QUEUE_ARN);
        m.setBody(body);
        m.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(receiveCount)));
        return m;
    }

    /** The SQS event of these messages, as the handler receives it. */
    public static SQSEvent sqsBatch(SQSEvent.SQSMessage... messages) {
        SQSEvent e = new SQSEvent();
        e.setRecords(List.of(messages));
        return e;
    }

    public static Message message(String messageId, String body) {
        return new Message(messageId, body);
    }

    public static Message message(String messageId, S3Notification... records) {
        return new Message(messageId, notification(records));
    }

    /** An SQS event with one message per notification, with message ids msg-1, msg-2, ... */
    public static String sqsEvent(S3Notification... notifications) {
        List<Message> messages = new ArrayList<>();
        for (S3Notification n : notifications) {
            messages.add(message("msg-" + (messages.size() + 1), n));
        }
        return sqsEvent(messages.toArray(Message[]::new));
    }

    /** The event Lambda passes to the function for a batch of SQS messages. */
    public static String sqsEvent(Message... messages) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("Records");
        for (Message m : messages) {
            ObjectNode r = array.addObject();
            r.put("messageId", m.messageId());
            r.put("receiptHandle", "receipt-" + m.messageId());
            r.put("body", m.body());
            r.putObject("attributes")
                    .put("ApproximateReceiveCount", "1")
                    .put("SentTimestamp", SENT_TIMESTAMP)
                    .put("SenderId", "AIDATESTSENDER")
                    .put("ApproximateFirstReceiveTimestamp", SENT_TIMESTAMP);
            r.putObject("messageAttributes");
            r.put("md5OfBody", InMemoryObjectStore.md5Hex(m.body().getBytes(StandardCharsets.UTF_8)));
            r.put("eventSource", "aws:sqs");
            r.put("eventSourceARN", QUEUE_ARN);
            r.put("awsRegion", REGION);
        }
        return write(root);
    }

    /** A key as S3 writes it into a notification: form-encoded (a space is '+'), slashes kept. */
    public static String formEncode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write event JSON", e);
        }
    }
}
