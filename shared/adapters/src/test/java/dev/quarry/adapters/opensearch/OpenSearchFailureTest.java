package dev.quarry.adapters.opensearch;

import dev.quarry.core.port.Failures;
import dev.quarry.model.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An OpenSearch answer that no retry changes is permanent; a refusal of the caller is ACCESS_DENIED. */
class OpenSearchFailureTest {

    @Test
    void a_refused_caller_is_access_denied_with_what_to_check() {
        var failure = new OpenSearchFailure("Failed to update status of d1: 403 {}", 403);

        Failures.Failure f = Failures.classify(failure, "index");

        assertThat(f.permanent()).isTrue();
        assertThat(f.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(f.reason()).startsWith("Failed to update status of d1: 403").contains("domain's access policy");
    }

    @Test
    void another_refusal_is_permanent_and_internal() {
        Failures.Failure f = Failures.classify(new OpenSearchFailure("Failed to index 2 of 2 chunks of document d1: "
                + "mapper_parsing_exception", 400), "index");

        assertThat(f.permanent()).isTrue();
        assertThat(f.code()).isEqualTo(ErrorCode.INTERNAL);
    }
}
