package dev.quarry.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One record of an S3 event notification, with the key decoded (S3 sends it form-encoded). */
public record S3Notification(String eventName, String bucket, String key, long size, String eTag, String sequencer) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean created() {
        return eventName.startsWith("ObjectCreated");
    }

    public boolean removed() {
        return eventName.startsWith("ObjectRemoved");
    }

    /**
     * Parses the body of an SQS message sent by an S3 bucket notification. The s3:TestEvent that S3
     * sends when notifications are configured yields no records.
     *
     * @throws IllegalArgumentException when the body is not an S3 notification at all (a poison message)
     */
    public static List<S3Notification> parse(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("Message body is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("Message body is not an S3 event notification");
        }
        if ("s3:TestEvent".equals(root.path("Event").asText())) {
            return List.of();
        }
        JsonNode records = root.path("Records");
        if (!records.isArray()) {
            throw new IllegalArgumentException("Message body has no Records array: not an S3 event notification");
        }
        List<S3Notification> out = new ArrayList<>();
        for (JsonNode r : records) {
            JsonNode s3 = r.path("s3");
            String rawKey = s3.path("object").path("key").asText(null);
            String bucket = s3.path("bucket").path("name").asText(null);
            String event = r.path("eventName").asText(null);
            if (rawKey == null || bucket == null || event == null) {
                throw new IllegalArgumentException("S3 event record without eventName, bucket or key");
            }
            String eTag = s3.path("object").path("eTag").asText(null);
            out.add(new S3Notification(event, bucket, URLDecoder.decode(rawKey, StandardCharsets.UTF_8),
                    s3.path("object").path("size").asLong(0), eTag == null ? null : eTag.replace("\"", ""),
                    s3.path("object").path("sequencer").asText("")));
        }
        return out;
    }

    /** S3 sequencers are hex strings comparable after left-padding to the same length. */
    public static int compareSequencers(String a, String b) {
        String x = a == null ? "" : a;
        String y = b == null ? "" : b;
        int len = Math.max(x.length(), y.length());
        return ("0".repeat(len - x.length()) + x).compareToIgnoreCase("0".repeat(len - y.length()) + y);
    }
}
