package dev.quarry.functions.extract;

import dev.quarry.core.pipeline.Keys;
import dev.quarry.core.pipeline.WorkFiles;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;
import dev.quarry.model.PageText;
import dev.quarry.testsupport.InMemoryObjectStore;
import dev.quarry.testsupport.InMemoryStatusStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.quarry.functions.extract.ExtractHandlerTest.fixture;
import static dev.quarry.functions.extract.ExtractHandlerTest.invoke;
import static dev.quarry.functions.extract.ExtractHandlerTest.invokeBody;
import static dev.quarry.functions.extract.ExtractHandlerTest.resource;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A document larger than one part (here 6 pages at 2 pages per part; in production a 2,400-page
 * manual at 100) is split into independent range tasks, each extracted by its own invocation.
 */
@QuarkusTest
@TestProfile(ExtractMultiPartHandlerTest.TwoPagesPerPart.class)
class ExtractMultiPartHandlerTest {
    private static final String KEY = "documents/acme/manual.pdf";
    private static final String ID = Keys.documentId("acme", "manual.pdf");
    private static final String ETAG = "1a2c3969e81ebb8c6e4a59bf5db214f4";

    public static class TwoPagesPerPart implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarry.extract.pages-per-part", "2");
        }
    }

    @Inject
    InMemoryObjectStore store;

    @Inject
    InMemoryStatusStore statuses;

    @BeforeEach
    void empty() {
        store.clear();
        statuses.clear();
    }

    @Test
    void a_six_page_pdf_at_two_pages_per_part_becomes_three_range_tasks_each_extracted_on_its_own() {
        assertThat(store.putObject(KEY, resource("pdfs/texlive-latex-base-doc__xspace.pdf"), "application/pdf")).isEqualTo(ETAG);

        assertThat(invoke("upload-manual.json")).isEmpty();

        DocumentRecord planned = statuses.get(ID).orElseThrow();
        assertThat(planned.pages()).isEqualTo(6);
        assertThat(planned.parts()).isEqualTo(3);
        assertThat(planned.status()).isEqualTo(DocumentStatus.EXTRACTING);
        List<String> ranges = store.list("work/ranges/");
        assertThat(ranges).hasSize(3);
        for (int part = 0; part < 3; part++) {
            WorkFiles.RangeTask task = WorkFiles.read(store, Keys.work(Keys.RANGES, "acme", ID, ETAG, part), WorkFiles.RangeTask.class);
            assertThat(task.fromPage()).isEqualTo(part * 2 + 1);
            assertThat(task.toPage()).isEqualTo(part * 2 + 2);
            assertThat(task.ref().part()).isEqualTo(part);
            assertThat(task.ref().parts()).isEqualTo(3);
        }

        // Parts are independent: extract them out of order.
        for (int part : new int[] {2, 0, 1}) {
            String body = fixture("range-task-manual.json").replace("part-00000.json", String.format("part-%05d.json", part));
            assertThat(invokeBody(body)).isEmpty();
        }

        for (int part = 0; part < 3; part++) {
            WorkFiles.ExtractedPart extracted = WorkFiles.read(store, Keys.work(Keys.EXTRACTED, "acme", ID, ETAG, part),
                    WorkFiles.ExtractedPart.class);
            assertThat(extracted.pages()).extracting(PageText::page).containsExactly(part * 2 + 1, part * 2 + 2);
            assertThat(extracted.ref().part()).isEqualTo(part);
        }
        assertThat(WorkFiles.read(store, Keys.work(Keys.EXTRACTED, "acme", ID, ETAG, 0), WorkFiles.ExtractedPart.class)
                .pages().get(0).text()).contains("Great Britain is a very nice place to live.");
    }
}
