package dev.quarry.tools;

import dev.quarry.core.pipeline.Keys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PdfQaDatasetTest {

    private static Path tiny() throws URISyntaxException {
        return Path.of(PdfQaDatasetTest.class.getResource("/pdfqa-tiny/questions.jsonl").toURI()).getParent();
    }

    /** A folder with the given questions.jsonl and one PDF per document name. */
    private static Path folder(Path dir, String questions, String... docNames) throws Exception {
        Files.createDirectories(dir.resolve("pdfs"));
        for (String doc : docNames) {
            Files.writeString(dir.resolve("pdfs").resolve(doc + ".pdf"), "%PDF-1.4\n");
        }
        Files.writeString(dir.resolve("questions.jsonl"), questions);
        return dir;
    }

    @Test
    void reads_every_field_and_keeps_evidence_pages_one_based_sorted_and_distinct() throws Exception {
        PdfQaDataset data = PdfQaDataset.load(tiny());

        assertThat(data.questions()).extracting(PdfQaDataset.Question::id).containsExactly("q1", "q2");
        PdfQaDataset.Question q1 = data.questions().getFirst();
        assertThat(q1.docName()).isEqualTo("ACME_2020_10K");
        assertThat(q1.fileName()).isEqualTo("ACME_2020_10K.pdf");
        assertThat(q1.company()).isEqualTo("Acme");
        assertThat(q1.docType()).isEqualTo("10k");
        assertThat(q1.docPeriod()).isEqualTo("2020");
        assertThat(q1.questionType()).isEqualTo("metrics-generated");
        assertThat(q1.question()).isEqualTo("What was Acme's FY2020 revenue?");
        assertThat(q1.answer()).isEqualTo("$1.2 billion");
        assertThat(q1.evidencePages()).containsExactly(9, 12); // [12, 9, 12] in the file, pages as given (1-based), not shifted
    }

    @Test
    void needs_only_id_doc_name_question_and_evidence_pages() throws Exception {
        PdfQaDataset.Question q2 = PdfQaDataset.load(tiny()).questions().get(1);

        assertThat(q2.evidencePages()).containsExactly(40);
        assertThat(q2.company()).isNull();
        assertThat(q2.answer()).isNull();
        assertThat(q2.questionType()).isNull();
        assertThat(q2.typeOrUnknown()).isEqualTo("unknown");
    }

    @Test
    void lists_every_pdf_including_documents_no_question_is_about_and_reads_the_manifest() throws Exception {
        PdfQaDataset data = PdfQaDataset.load(tiny());

        assertThat(data.pdfs()).extracting(p -> p.getFileName().toString())
                .containsExactly("ACME_2020_10K.pdf", "ACME_2021_10K.pdf", "OTHER_2019_10K.pdf");
        assertThat(data.manifestPages()).isEqualTo(Map.of("ACME_2020_10K", 80, "ACME_2021_10K", 90));
        assertThat(data.name()).isEqualTo("pdfqa-tiny");
    }

    @Test
    void refuses_a_line_without_a_required_field_naming_the_line_and_the_field() {
        for (String field : List.of("id", "doc_name", "question")) {
            String line = "{\"id\": \"q1\", \"doc_name\": \"A\", \"question\": \"Why?\", \"evidence_pages\": [3]}"
                    .replace("\"" + field + "\"", "\"other\"");
            assertThatThrownBy(() -> PdfQaDataset.parse(line, "questions.jsonl:7"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("questions.jsonl:7")
                    .hasMessageContaining("'" + field + "'");
        }
        assertThatThrownBy(() -> PdfQaDataset.parse("{\"id\": \"q1\", \"doc_name\": \"A\", \"question\": \"Why?\"}", "f:1"))
                .hasMessageContaining("evidence_pages");
        assertThatThrownBy(() -> PdfQaDataset.parse("{\"id\": \"q1\", \"doc_name\": \"A\", \"question\": \" \", \"evidence_pages\": [1]}", "f:1"))
                .hasMessageContaining("'question'");
        assertThatThrownBy(() -> PdfQaDataset.parse("{\"id\": \"q1\", \"doc_name\": \"A\", \"question\": \"Why?\", \"evidence_pages\": []}", "f:1"))
                .hasMessageContaining("evidence_pages");
        assertThatThrownBy(() -> PdfQaDataset.parse("[1, 2]", "f:1")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> PdfQaDataset.parse("{\"id\": ", "f:1")).hasMessageContaining("not a JSON object");
    }

    @Test
    void refuses_page_zero_and_pages_that_are_not_whole_numbers() {
        assertThatThrownBy(() -> PdfQaDataset.parse("{\"id\": \"q\", \"doc_name\": \"A\", \"question\": \"Why?\", \"evidence_pages\": [0, 4]}", "f:2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1-based");
        assertThatThrownBy(() -> PdfQaDataset.parse("{\"id\": \"q\", \"doc_name\": \"A\", \"question\": \"Why?\", \"evidence_pages\": [\"4\"]}", "f:2"))
                .hasMessageContaining("1-based");
        assertThatThrownBy(() -> PdfQaDataset.parse("{\"id\": \"q\", \"doc_name\": \"A\", \"question\": \"Why?\", \"evidence_pages\": [4.5]}", "f:2"))
                .hasMessageContaining("1-based");
    }

    @Test
    void refuses_a_question_about_a_document_without_pdf_and_a_repeated_id(@TempDir Path dir) throws Exception {
        String q = "{\"id\": \"q1\", \"doc_name\": \"A\", \"question\": \"Why?\", \"evidence_pages\": [1]}\n";

        assertThatThrownBy(() -> PdfQaDataset.load(folder(dir.resolve("missing"), q, "B")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("questions.jsonl:1")
                .hasMessageContaining("pdfs/A.pdf");
        assertThatThrownBy(() -> PdfQaDataset.load(folder(dir.resolve("twice"), q + "\n" + q, "A")))
                .hasMessageContaining("questions.jsonl:3")
                .hasMessageContaining("'q1' appears twice");
        assertThatThrownBy(() -> PdfQaDataset.load(folder(dir.resolve("empty"), "\n", "A")))
                .hasMessageContaining("no question");
    }

    @Test
    void eval_picks_the_pdf_question_tool_only_for_a_folder_with_questions_and_pdfs(@TempDir Path dir) throws Exception {
        Path pdfQa = folder(dir.resolve("fb"), "{}", "A");
        Path beir = Files.createDirectories(dir.resolve("beir"));
        Files.writeString(beir.resolve("questions.jsonl"), "{}"); // no pdfs/

        assertThat(PdfQaDataset.recognises(pdfQa)).isTrue();
        assertThat(PdfQaDataset.recognises(beir)).isFalse();
        assertThat(Eval.datasetFolder(new String[] {"--out", pdfQa.toString(), "--max-queries", "5", beir.toString()})).isEqualTo(beir);
        assertThat(Eval.datasetFolder(new String[] {"--reingest", pdfQa.toString(), "--k", "1,5"})).isEqualTo(pdfQa);
        assertThat(Eval.datasetFolder(new String[] {"--split", "test"})).isNull();
    }

    @Test
    void the_default_tenant_is_one_the_api_accepts() {
        assertThat(PdfQaEval.defaultTenant("financebench-dev")).isEqualTo("eval-financebench-dev");
        assertThat(PdfQaEval.defaultTenant(BeirDataset.indexSafe("FinanceBench Dev.v2"))).isEqualTo("eval-financebench-dev-v2");
        String long_ = PdfQaEval.defaultTenant("x".repeat(100));
        assertThat(long_).hasSize(63);
        for (String t : List.of(PdfQaEval.defaultTenant("financebench-dev"), long_, PdfQaEval.defaultTenant("###"))) {
            assertThat(Keys.TENANT.matcher(t).matches()).as(t).isTrue();
        }
    }

    @Test
    void parses_cut_offs_ascending_and_refuses_nonsense() {
        assertThat(PdfQaEval.parseKs("10, 1,5,3,5")).containsExactly(1, 3, 5, 10);
        assertThatThrownBy(() -> PdfQaEval.parseKs("0,5")).isInstanceOf(Args.UsageException.class);
        assertThatThrownBy(() -> PdfQaEval.parseKs("five")).isInstanceOf(Args.UsageException.class);
    }
}
