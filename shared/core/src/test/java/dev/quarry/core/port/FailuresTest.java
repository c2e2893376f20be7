package dev.quarry.core.port;

import dev.quarry.core.port.Failures.Failure;
import dev.quarry.model.DocumentRejectedException;
import dev.quarry.model.ErrorCode;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresTest {

    @Test
    void the_embedding_models_refusal_of_a_blank_text_is_a_permanent_defect_with_a_reason_a_person_reads() {
        Failure f = Failures.classify(new RuntimeException(new IllegalArgumentException("Cannot embed empty or whitespace-only text")), "embed");

        assertThat(f.permanent()).isTrue();
        assertThat(f.code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(f.reason()).isEqualTo("The embed stage failed on a defect that retrying cannot fix (IllegalArgumentException: "
                + "Cannot embed empty or whitespace-only text). The document was not processed; report this reason to the operators.");
    }

    @Test
    void defects_are_permanent() {
        for (Throwable t : new Throwable[] {new NullPointerException("x"), new IllegalStateException("x"), new ClassCastException("x"),
                new IndexOutOfBoundsException(3), new UnsupportedOperationException(), new StackOverflowError(), new NoClassDefFoundError("x")}) {
            assertThat(Failures.classify(t, "chunk").permanent()).as("%s", t).isTrue();
        }
    }

    @Test
    void throttling_timeouts_resets_and_5xx_wrapped_by_the_adapters_are_transient() {
        assertThat(Failures.classify(new RetryableException("OpenSearch answered 503"), "index").transientFailure()).isTrue();
        assertThat(Failures.classify(new UncheckedIOException(new SocketTimeoutException("read timed out")), "index").transientFailure()).isTrue();
        assertThat(Failures.classify(new RuntimeException("x", new java.net.SocketException("Connection reset")), "index").transientFailure())
                .isTrue();
        // an adapter's retryable wrapper decides even when its cause would look like a defect
        assertThat(Failures.classify(new RetryableException("throttled", new IllegalStateException("429")), "embed").transientFailure()).isTrue();
    }

    @Test
    void what_the_adapters_and_stages_call_permanent_keeps_its_code_and_reason() {
        Failure denied = Failures.classify(new PermanentException(ErrorCode.ACCESS_DENIED, "Failed to read s3://b/k: 403 AccessDenied"), "chunk");
        assertThat(denied).extracting(Failure::permanent, Failure::code, Failure::reason)
                .containsExactly(true, ErrorCode.ACCESS_DENIED, "Failed to read s3://b/k: 403 AccessDenied");

        Failure rejected = Failures.classify(new DocumentRejectedException(ErrorCode.ENCRYPTED, "The PDF needs a password."), "extract");
        assertThat(rejected).extracting(Failure::permanent, Failure::code).containsExactly(true, ErrorCode.ENCRYPTED);

        Failure mismatch = Failures.classify(new ChunkIndex.ModelMismatchException("Index holds model a (384)"), "index");
        assertThat(mismatch).extracting(Failure::permanent, Failure::code).containsExactly(true, ErrorCode.MODEL_MISMATCH);

        Failure missing = Failures.classify(new ObjectStore.ObjectMissingException("work/chunks/t/d/v/part-00000.json"), "embed");
        assertThat(missing.permanent()).isTrue();
        assertThat(missing.reason()).contains("work file", "work/chunks/t/d/v/part-00000.json", "Upload the PDF again");
    }

    @Test
    void model_clients_are_read_by_their_retriable_or_non_retriable_kind() {
        Failure refused = Failures.classify(new dev.langchain4j.exception.AuthenticationException("invalid api key"), "embed");
        assertThat(refused).extracting(Failure::permanent, Failure::code).containsExactly(true, ErrorCode.MODEL_REJECTED);
        assertThat(refused.reason()).contains("The model refused the embed stage's request", "invalid api key", "quarry.embedding");

        assertThat(Failures.classify(new dev.langchain4j.exception.RateLimitException("slow down"), "embed").transientFailure()).isTrue();
    }

    @Test
    void aws_service_exceptions_are_read_by_their_status() {
        assertThat(Failures.classify(new software.amazon.awssdk.awscore.exception.AwsServiceException(403), "embed").code())
                .isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(Failures.classify(new software.amazon.awssdk.awscore.exception.AwsServiceException(429), "embed").transientFailure()).isTrue();
        assertThat(Failures.classify(new software.amazon.awssdk.awscore.exception.AwsServiceException(503), "embed").transientFailure()).isTrue();
        assertThat(Failures.classify(new software.amazon.awssdk.awscore.exception.AwsServiceException(400), "embed").permanent()).isTrue();
    }

    @Test
    void an_unrecognised_failure_is_retried_then_dead_lettered_rather_than_dropped() {
        Failure f = Failures.classify(new RuntimeException("something new"), "index");

        assertThat(f.transientFailure()).isTrue();
        Failure exhausted = Failures.exhausted(f, "index", 5);
        assertThat(exhausted.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(exhausted.reason()).isEqualTo("The index stage kept failing on a service it needs through 5 deliveries "
                + "(RuntimeException: something new); its message was moved to the dead-letter queue. Once the service is back, "
                + "redrive the queue or upload the PDF again.");
    }
}
