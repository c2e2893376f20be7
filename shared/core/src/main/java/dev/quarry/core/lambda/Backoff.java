package dev.quarry.core.lambda;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * In-process retries of a transient failure: at most {@code attempts} tries per delivery, waiting before
 * retry n a random time between zero and {@code min(cap, base * 2^(n-1))} ("full jitter", so sandboxes
 * that failed together do not retry together). What still fails is left to the queue, which delivers it
 * again after its visibility timeout and dead-letters it after maxReceiveCount.
 */
public record Backoff(int attempts, Duration base, Duration cap) {
    public Backoff {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
        if (base.isNegative() || cap.isNegative()) {
            throw new IllegalArgumentException("delays must not be negative");
        }
    }

    /** One try per delivery: every retry is the queue's. */
    public static Backoff none() {
        return new Backoff(1, Duration.ZERO, Duration.ZERO);
    }

    /** The longest wait before retry {@code retry} (1 for the first retry). */
    public Duration ceiling(int retry) {
        long baseMillis = base.toMillis();
        long capMillis = cap.toMillis();
        int shift = Math.min(Math.max(retry - 1, 0), 30);
        long exponential = baseMillis > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : baseMillis << shift;
        return Duration.ofMillis(Math.min(capMillis, exponential));
    }

    /** A random wait in [0, ceiling(retry)]. */
    public Duration delay(int retry, RandomGenerator random) {
        long ceiling = ceiling(retry).toMillis();
        return Duration.ofMillis(ceiling == 0 ? 0 : random.nextLong(ceiling + 1));
    }
}
