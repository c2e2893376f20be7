package dev.quarry.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The local bucket notifications follow the same wiring file, the same ids and S3's matching rules, as Terraform. */
class BucketNotificationsTest {
    private final BucketNotifications notifications = BucketNotifications.of(Pipeline.load(projectRoot()));

    static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("infra/pipeline.json"))) {
            dir = dir.getParent();
        }
        return dir;
    }

    @Test
    void an_upload_named_in_any_case_goes_to_the_ingest_queue_only() {
        assertThat(notifications.destinations("documents/acme/report.pdf", "ObjectCreated:Put")).containsExactly("ingest");
        assertThat(notifications.destinations("documents/acme/REPORT.PDF", "ObjectCreated:Put")).containsExactly("ingest");
        assertThat(notifications.destinations("documents/acme/Report.Pdf", "ObjectCreated:CompleteMultipartUpload"))
                .containsExactly("ingest");
    }

    @Test
    void work_files_notify_only_the_queue_of_the_stage_that_reads_them() {
        assertThat(notifications.destinations("work/ranges/acme/doc/v/part-00001.json", "ObjectCreated:Put")).containsExactly("ingest");
        assertThat(notifications.destinations("work/extracted/acme/doc/v/part-00000.json", "ObjectCreated:Put")).containsExactly("chunk");
        assertThat(notifications.destinations("work/chunks/acme/doc/v/part-00000.json", "ObjectCreated:Put")).containsExactly("embed");
        assertThat(notifications.destinations("work/embedded/acme/doc/v/part-00000.json", "ObjectCreated:Copy")).containsExactly("index");
        assertThat(notifications.destinations("work/extracted/acme/doc/v/part-00000.JSON", "ObjectCreated:Put"))
                .as("suffixes are case-sensitive, as in S3").isEmpty();
        assertThat(notifications.destinations("work/status/acme/doc.json", "ObjectCreated:Put")).as("no trigger on work/status/").isEmpty();
    }

    @Test
    void only_a_deleted_pdf_notifies_and_only_the_index_queue() {
        assertThat(notifications.destinations("documents/acme/report.pdf", "ObjectRemoved:Delete")).containsExactly("index");
        assertThat(notifications.destinations("documents/acme/REPORT.PDF", "ObjectRemoved:Delete"))
                .as("the removal trigger has a case-sensitive .pdf suffix, as in S3").isEmpty();
        assertThat(notifications.destinations("work/chunks/acme/doc/v/part-00000.json", "ObjectRemoved:Delete")).isEmpty();
    }

    @Test
    void queue_configurations_are_named_and_filtered_as_the_terraform_names_them() {
        assertThat(notifications.queues()).extracting(BucketNotifications.QueueConfiguration::id)
                .containsExactly("extract-0", "extract-1", "chunk-0", "embed-0", "index-0", "index-1");
        BucketNotifications.QueueConfiguration upload = notifications.queues().get(0);
        assertThat(upload.prefix()).isEqualTo("documents/");
        assertThat(upload.suffix()).as("\"\" in pipeline.json is no suffix filter, null in the Terraform").isNull();
    }

    @Test
    void an_event_wildcard_matches_its_family_only() {
        var created = new BucketNotifications.QueueConfiguration("q-0", "q", List.of("s3:ObjectCreated:*"), "a/", null);
        var put = new BucketNotifications.QueueConfiguration("q-1", "q", List.of("s3:ObjectCreated:Put"), "a/", ".json");

        assertThat(created.matches("a/x", "ObjectCreated:Put")).isTrue();
        assertThat(created.matches("a/x", "ObjectRemoved:Delete")).isFalse();
        assertThat(created.matches("b/a/x", "ObjectCreated:Put")).as("prefix is a prefix").isFalse();
        assertThat(put.matches("a/x.json", "ObjectCreated:Put")).isTrue();
        assertThat(put.matches("a/x.json", "ObjectCreated:Copy")).isFalse();
        assertThat(put.matches("a/x.json.gz", "ObjectCreated:Put")).isFalse();
    }

    @Test
    void one_event_matching_two_configurations_of_one_queue_is_sent_once() {
        var twice = new BucketNotifications(List.of(
                new BucketNotifications.QueueConfiguration("a-0", "a", List.of("s3:ObjectCreated:*"), "x/", null),
                new BucketNotifications.QueueConfiguration("a-1", "a", List.of("s3:ObjectCreated:*"), "x/y/", null),
                new BucketNotifications.QueueConfiguration("b-0", "b", List.of("s3:ObjectCreated:*"), "x/y/", ".pdf")));

        assertThat(twice.destinations("x/y/z.pdf", "ObjectCreated:Put")).containsExactly("a", "b");
    }
}
