package dev.quarry.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SweepTest {

    @Test
    void every_pdf_below_the_folder_is_a_document_and_files_of_one_name_in_two_subfolders_stay_two(@TempDir Path dir)
            throws Exception {
        Files.createDirectories(dir.resolve("malformed"));
        Files.createDirectories(dir.resolve("encrypted"));
        Files.writeString(dir.resolve("malformed/empty.pdf"), "");
        Files.writeString(dir.resolve("encrypted/empty.pdf"), "%PDF-1.4");
        Files.writeString(dir.resolve("Upper.PDF"), "%PDF-1.4");
        Files.writeString(dir.resolve("manifest.tsv"), "name\tsource");

        Map<String, Path> named = Sweep.documentNames(dir);

        assertThat(named).containsOnlyKeys("Upper.PDF", "encrypted--empty.pdf", "malformed--empty.pdf");
        assertThat(named.get("malformed--empty.pdf")).isEqualTo(dir.resolve("malformed/empty.pdf"));
    }

    @Test
    void the_report_counts_each_end_with_its_reason_and_names_what_did_not_end() {
        PdfQaIngest.Outcome outcome = new PdfQaIngest.Outcome(List.of(
                new PdfQaIngest.Document("a.pdf", "id-a", "READY", 3, 7, null, null, true, 4.0),
                new PdfQaIngest.Document("b.pdf", "id-b", "FAILED", 0, 0, "ENCRYPTED", "The PDF is encrypted.", true, 1.5),
                new PdfQaIngest.Document("c.pdf", "id-c", "FAILED", 0, 0, "ENCRYPTED", "The PDF is encrypted.", true, 2.0)),
                4, 9.0, Map.of("d.pdf", "EMBEDDING"));

        String md = Sweep.report(List.of(Path.of("tricky")), "sweep-tricky", outcome);

        assertThat(md).containsPattern("\\| FAILED ENCRYPTED +\\| +2 \\|").containsPattern("\\| READY +\\| +1 \\|")
                .containsPattern("\\| not ended \\(EMBEDDING\\) +\\| +1 \\|")
                .contains("- ENCRYPTED: The PDF is encrypted.", "**Not ended within the bound**", "- d.pdf: EMBEDDING")
                .contains("- a.pdf: READY at 4.0 s");
        assertThat(md.indexOf("a.pdf: READY")).isLessThan(md.indexOf("c.pdf: FAILED"));
    }
}
