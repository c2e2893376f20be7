package dev.quarry.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.core.pipeline.Keys.DocumentKey;
import dev.quarry.core.pipeline.Keys.WorkKey;
import org.junit.jupiter.api.Test;

/** The bucket layout is the tenant boundary of the pipeline: a key's first segment decides whose document it is. */
class KeysTest {

    @Test
    void parses_an_upload_key_into_its_tenant_name_and_the_document_id_the_api_gave_it() {
        DocumentKey key = Keys.parseDocument("documents/tenant-a/reports/annual-2025.PDF");

        assertThat(key.tenant()).isEqualTo("tenant-a");
        assertThat(key.name()).isEqualTo("reports/annual-2025.PDF");
        assertThat(key.documentId()).isEqualTo(Keys.documentId("tenant-a", "reports/annual-2025.PDF")).matches("[0-9a-f]{24}");
    }

    @Test
    void the_tenant_is_the_first_segment_whatever_the_name_holds() {
        DocumentKey key = Keys.parseDocument("documents/tenant-a/../tenant-b/secret.pdf");

        assertThat(key.tenant()).isEqualTo("tenant-a");
        assertThat(key.name()).isEqualTo("../tenant-b/secret.pdf");
        assertThat(key.documentId()).isNotEqualTo(Keys.documentId("tenant-b", "secret.pdf"));
    }

    @Test
    void the_same_name_in_two_tenants_is_two_documents() {
        assertThat(Keys.parseDocument("documents/tenant-a/manual.pdf").documentId())
                .isNotEqualTo(Keys.parseDocument("documents/tenant-b/manual.pdf").documentId());
    }

    @Test
    void refuses_a_key_whose_tenant_segment_is_not_a_tenant_id() {
        for (String tenant : new String[] {"Tenant-A", "*", "tenant-a,tenant-b", "..", "-tenant", "_tenant", "tenant a",
                "tenant-a\u0000", "t%2Fb", "a".repeat(64)}) {
            assertThat(Keys.parseDocument("documents/" + tenant + "/manual.pdf")).as("tenant %s", tenant).isNull();
        }
        assertThat(Keys.parseDocument("documents//manual.pdf")).isNull();
        assertThat(Keys.parseDocument("documents/" + "a".repeat(63) + "/manual.pdf")).isNotNull();
    }

    @Test
    void refuses_a_key_outside_documents_or_not_a_pdf() {
        for (String key : new String[] {"documents/tenant-a/manual.txt", "documents/tenant-a/manual.pdf.zip", "documents/tenant-a/",
                "documents/manual.pdf", "uploads/tenant-a/manual.pdf", "xdocuments/tenant-a/manual.pdf",
                "work/ranges/tenant-a/0123456789abcdef01234567/v1/part-00000.json"}) {
            assertThat(Keys.parseDocument(key)).as(key).isNull();
        }
    }

    @Test
    void an_upload_key_parses_back_into_its_tenant_and_name() {
        DocumentKey key = Keys.parseDocument(Keys.document("tenant-a", "Annual Report 2025.pdf"));

        assertThat(key).isEqualTo(new DocumentKey("tenant-a", "Annual Report 2025.pdf", Keys.documentId("tenant-a", "Annual Report 2025.pdf")));
    }

    @Test
    void a_work_key_parses_back_into_stage_tenant_document_version_and_part() {
        String key = Keys.work(Keys.CHUNKS, "tenant-a", "0123456789abcdef01234567", "v1", 12);

        assertThat(key).isEqualTo("work/chunks/tenant-a/0123456789abcdef01234567/v1/part-00012.json");
        assertThat(Keys.parseWork(key)).isEqualTo(new WorkKey("chunks", "tenant-a", "0123456789abcdef01234567", "v1", 12));
        assertThat(Keys.parseWork("work/other/tenant-a/0123456789abcdef01234567/v1/part-00012.json")).isNull();
        assertThat(Keys.parseWork("documents/tenant-a/manual.pdf")).isNull();
    }
}
