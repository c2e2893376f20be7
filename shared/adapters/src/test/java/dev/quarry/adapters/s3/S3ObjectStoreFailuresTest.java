package dev.quarry.adapters.s3;

import dev.quarry.core.port.Failures;
import dev.quarry.core.port.ObjectStore;
import dev.quarry.core.port.PermanentException;
import dev.quarry.core.port.RetryableException;
import dev.quarry.model.ErrorCode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** What the S3 adapter makes of S3's answers, and what the one failure classification makes of that. */
class S3ObjectStoreFailuresTest {

    /** An S3 client whose every GetObject fails with {@code failure}. */
    private static S3ObjectStore storeFailingWith(RuntimeException failure) {
        S3Client s3 = new S3Client() {
            @Override
            public <T> T getObject(GetObjectRequest request, ResponseTransformer<GetObjectResponse, T> transformer) {
                throw failure;
            }

            @Override
            public String serviceName() {
                return "s3";
            }

            @Override
            public void close() {
            }
        };
        return new S3ObjectStore(s3, "bucket");
    }

    private static S3Exception s3(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status).message(code)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).build();
    }

    @Test
    void access_denied_is_permanent_with_a_reason_that_says_what_to_check() {
        Throwable t = catchThrowable(() -> storeFailingWith(s3(403, "AccessDenied")).get("work/chunks/a.json"));

        assertThat(t).isInstanceOf(PermanentException.class)
                .hasMessage("Failed to read s3://bucket/work/chunks/a.json: 403 AccessDenied (access denied: check the function "
                        + "role's S3 permissions and the bucket policy)");
        Failures.Failure f = Failures.classify(t, "embed");
        assertThat(f.permanent()).isTrue();
        assertThat(f.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
    }

    @Test
    void throttling_5xx_and_connection_failures_are_transient() {
        for (RuntimeException failure : new RuntimeException[] {s3(503, "SlowDown"), s3(500, "InternalError"),
                SdkClientException.create("Unable to execute HTTP request: Connection reset")}) {
            Throwable t = catchThrowable(() -> storeFailingWith(failure).get("work/chunks/a.json"));

            assertThat(t).as("%s", failure).isInstanceOf(RetryableException.class);
            assertThat(Failures.isTransient(t)).isTrue();
        }
    }

    @Test
    void a_missing_key_is_reported_as_missing_for_the_stage_to_judge() {
        Throwable t = catchThrowable(() -> storeFailingWith(NoSuchKeyException.builder().statusCode(404).message("NoSuchKey").build())
                .get("work/chunks/a.json"));

        assertThat(t).isInstanceOf(ObjectStore.ObjectMissingException.class);
    }

    @Test
    void the_real_sdk_classes_are_recognised_by_the_classification_even_unwrapped() {
        assertThat(Failures.isTransient(SdkClientException.create("Connect timed out"))).isTrue();
        S3Exception denied = (S3Exception) S3Exception.builder().statusCode(403).message("Access Denied")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").serviceName("S3").build()).build();
        assertThat(Failures.classify(denied, "chunk").code()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(Failures.isTransient(s3(503, "SlowDown"))).isTrue();
    }

    @Test
    void another_refusal_is_permanent() {
        Throwable t = catchThrowable(() -> storeFailingWith(s3(400, "InvalidRequest")).get("work/chunks/a.json"));

        assertThat(t).isInstanceOf(PermanentException.class);
        assertThat(Failures.classify(t, "chunk").code()).isEqualTo(ErrorCode.INTERNAL);
    }
}
