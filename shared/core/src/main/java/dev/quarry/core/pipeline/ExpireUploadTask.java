package dev.quarry.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

/**
 * The message that asks the index stage to end a document whose upload never came:
 * {@code {"task":"expire-upload","documentId":"..."}}, sent by the API when it hands out an upload URL and held back by
 * the queue until the URL has expired.
 */
public record ExpireUploadTask(String documentId) {
    public static final String TASK = "expire-upload";
    private static final ObjectMapper JSON = new ObjectMapper();

    public ExpireUploadTask {
        if (documentId == null || documentId.isBlank()) {
            throw new IllegalArgumentException("an expire-upload task needs a documentId");
        }
    }

    /** The message body. */
    public String body() {
        ObjectNode node = JSON.createObjectNode().put("task", TASK).put("documentId", documentId);
        return node.toString();
    }

    /** The task a message body holds, or empty when the body is not one (an S3 notification, or anything else). */
    public static Optional<ExpireUploadTask> parse(String body) {
        if (body == null || !body.contains("\"" + TASK + "\"")) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (!TASK.equals(node.path("task").asText()) || node.path("documentId").asText("").isBlank()) {
                return Optional.empty();
            }
            return Optional.of(new ExpireUploadTask(node.path("documentId").asText()));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }
}
