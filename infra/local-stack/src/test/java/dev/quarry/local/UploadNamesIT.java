package dev.quarry.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** One rule for what is a PDF upload, at the API and in the bucket notification: ".pdf" in any case. */
@ExtendWith(StackSession.class)
class UploadNamesIT {

    @Test
    void a_pdf_named_in_capitals_or_mixed_case_is_ingested_not_left_queued() {
        StackConfig config = StackSession.ensure();
        Api api = new Api(config, "it-names-" + UUID.randomUUID().toString().substring(0, 8));
        var pdf = config.projectRoot().resolve("shared/core/src/test/resources/pdfs/octave-doc__refcard-a4.pdf");

        String upper = api.upload("REFCARD.PDF", pdf);
        String mixed = api.upload("Refcard.Pdf", pdf);

        var done = api.awaitTerminal(List.of(upper, mixed), Duration.ofMinutes(3));
        assertThat(done.get(upper).path("status").asText()).isEqualTo("READY");
        assertThat(done.get(mixed).path("status").asText()).isEqualTo("READY");
        assertThat(api.call("POST", "/v1/documents", "{\"name\":\"notes.txt\"}").status()).isEqualTo(400);
    }
}
