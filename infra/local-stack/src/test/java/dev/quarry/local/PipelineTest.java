package dev.quarry.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The local S3 notifications follow the same wiring file, and S3's matching rules, as Terraform. */
class PipelineTest {
    private final Pipeline pipeline = Pipeline.load(projectRoot());

    private static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !java.nio.file.Files.exists(dir.resolve("infra/pipeline.json"))) {
            dir = dir.getParent();
        }
        return dir;
    }

    private boolean notifies(String function, String key) {
        return pipeline.stages().stream().filter(s -> s.function().equals(function))
                .flatMap(s -> s.triggers().stream()).anyMatch(t -> t.matches(key, "ObjectCreated:Put"));
    }

    @Test
    void an_upload_named_in_any_case_reaches_the_extract_function() {
        assertThat(notifies("extract", "documents/acme/report.pdf")).isTrue();
        assertThat(notifies("extract", "documents/acme/REPORT.PDF")).isTrue();
        assertThat(notifies("extract", "documents/acme/Report.Pdf")).isTrue();
    }

    @Test
    void work_files_notify_only_the_stage_that_reads_them() {
        assertThat(notifies("chunk", "work/extracted/acme/doc/v/part-00000.json")).isTrue();
        assertThat(notifies("extract", "work/extracted/acme/doc/v/part-00000.json")).isFalse();
        assertThat(notifies("chunk", "work/extracted/acme/doc/v/part-00000.JSON")).as("suffixes are case-sensitive, as in S3")
                .isFalse();
    }
}
