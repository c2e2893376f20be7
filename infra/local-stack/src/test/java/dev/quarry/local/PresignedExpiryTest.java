package dev.quarry.local;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The local S3 refuses a presigned URL after its expiry, as S3 does (S3Mock alone would serve it). */
class PresignedExpiryTest {
    private static final Map<String, String> FIVE_MINUTES = Map.of("X-Amz-Date", "20261203T070000Z", "X-Amz-Expires", "300");

    @Test
    void a_presigned_url_is_good_until_its_expiry() {
        assertThat(S3NotifyingProxy.expired(FIVE_MINUTES, Instant.parse("2026-12-03T07:04:59Z"))).isFalse();
        assertThat(S3NotifyingProxy.expired(FIVE_MINUTES, Instant.parse("2026-12-03T07:05:01Z"))).isTrue();
    }

    @Test
    void a_request_without_presigning_is_not_judged() {
        assertThat(S3NotifyingProxy.expired(Map.of(), Instant.parse("2030-01-01T00:00:00Z"))).isFalse();
        assertThat(S3NotifyingProxy.expired(Map.of("X-Amz-Date", "garbage", "X-Amz-Expires", "300"), Instant.now())).isFalse();
    }
}
