package dev.quarry.core.lambda;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {
    private final Backoff backoff = new Backoff(6, Duration.ofMillis(200), Duration.ofSeconds(1));

    @Test
    void the_ceiling_doubles_per_retry_up_to_the_cap() {
        assertThat(java.util.stream.IntStream.rangeClosed(1, 5).mapToObj(backoff::ceiling).map(Duration::toMillis))
                .containsExactly(200L, 400L, 800L, 1000L, 1000L);
        assertThat(backoff.ceiling(500).toMillis()).as("no overflow on a large retry number").isEqualTo(1000L);
    }

    @Test
    void each_delay_is_a_random_share_of_its_ceiling() {
        SplittableRandom random = new SplittableRandom(7);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            long d = backoff.delay(3, random).toMillis();
            assertThat(d).isBetween(0L, 800L);
            seen.add(d);
        }
        assertThat(seen).as("jitter: sandboxes that failed together do not retry together").hasSizeGreaterThan(50);
    }

    @Test
    void none_tries_once_and_never_waits() {
        assertThat(Backoff.none().attempts()).isEqualTo(1);
        assertThat(Backoff.none().delay(1, new SplittableRandom(1))).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> new Backoff(0, Duration.ZERO, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
