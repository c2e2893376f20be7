package dev.quarry.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.core.pipeline.S3Notification;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class S3EventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void a_created_notification_parses_back_with_the_decoded_key_size_and_etag() {
        byte[] content = "%PDF-1.7".getBytes(StandardCharsets.UTF_8);
        S3Notification created = S3Events.created("quarry-local", "documents/acme/Jahresbericht 2024 + Anhang (é).pdf",
                content, "0055AED6DCD90C23D2");

        assertThat(S3Notification.parse(S3Events.notification(created))).containsExactly(new S3Notification(
                "ObjectCreated:Put", "quarry-local", "documents/acme/Jahresbericht 2024 + Anhang (é).pdf", 8,
                InMemoryObjectStore.md5Hex(content), "0055AED6DCD90C23D2"));
    }

    @Test
    void keys_are_form_encoded_as_s3_sends_them() throws Exception {
        String body = S3Events.notification(S3Events.created("b", "documents/acme/my manual+v2.pdf", 1, "e", "1"));

        JsonNode object = JSON.readTree(body).path("Records").path(0).path("s3").path("object");

        assertThat(object.path("key").asText()).isEqualTo("documents/acme/my+manual%2Bv2.pdf");
    }

    @Test
    void a_removal_has_no_size_or_etag() throws Exception {
        String body = S3Events.notification(S3Events.removed("quarry-local", "documents/acme/manual.pdf", "0055AED6DCD90C24"));

        JsonNode record = JSON.readTree(body).path("Records").path(0);

        assertThat(record.path("eventName").asText()).isEqualTo("ObjectRemoved:Delete");
        assertThat(record.path("eventSource").asText()).isEqualTo("aws:s3");
        assertThat(record.path("s3").path("object").has("eTag")).isFalse();
        assertThat(record.path("s3").path("object").has("size")).isFalse();
        assertThat(S3Notification.parse(body)).singleElement().satisfies(n -> {
            assertThat(n.removed()).isTrue();
            assertThat(n.eTag()).isNull();
        });
    }

    @Test
    void the_sqs_event_carries_each_body_under_its_message_id() throws Exception {
        String event = S3Events.sqsEvent(S3Events.message("m-1", "not json"),
                S3Events.message("m-2", S3Events.created("b", "documents/acme/a.pdf", 3, "abc", "1")));

        JsonNode records = JSON.readTree(event).path("Records");

        assertThat(records).hasSize(2);
        assertThat(records.path(0).path("messageId").asText()).isEqualTo("m-1");
        assertThat(records.path(0).path("body").asText()).isEqualTo("not json");
        assertThat(records.path(0).path("eventSource").asText()).isEqualTo("aws:sqs");
        assertThat(records.path(0).path("md5OfBody").asText())
                .isEqualTo(InMemoryObjectStore.md5Hex("not json".getBytes(StandardCharsets.UTF_8)));
        assertThat(records.path(0).path("attributes").path("ApproximateReceiveCount").asText()).isEqualTo("1");
        assertThat(S3Notification.parse(records.path(1).path("body").asText()))
                .extracting(S3Notification::key).containsExactly("documents/acme/a.pdf");
    }

    @Test
    void the_test_event_s3_sends_on_setup_holds_no_records() {
        assertThat(S3Notification.parse(S3Events.testEvent("quarry-local"))).isEmpty();
    }
}
