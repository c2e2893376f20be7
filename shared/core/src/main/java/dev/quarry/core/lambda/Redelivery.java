package dev.quarry.core.lambda;

import dev.quarry.core.port.QueueVisibility;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Backoff between deliveries: a message left to the queue after its delivery n is hidden for a random time
 * between zero and {@code min(cap, base * 2^(n-1))} (full jitter), so a throttled call delays its document by
 * seconds to minutes instead of the queue's visibility timeout (30 to 60 minutes), and sandboxes that failed
 * together do not come back together.
 */
public record Redelivery(QueueVisibility queue, Duration base, Duration cap) {
    private static final QueueVisibility UNCHANGED = (arn, receiptHandle, delay) -> { };

    public Redelivery {
        Objects.requireNonNull(queue, "queue");
        if (base.isNegative() || cap.isNegative()) {
            throw new IllegalArgumentException("delays must not be negative");
        }
    }

    /** No visibility change: every message left to the queue comes back after the queue's visibility timeout. */
    public static Redelivery none() {
        return new Redelivery(UNCHANGED, Duration.ZERO, Duration.ZERO);
    }

    /**
     * True when messages keep the queue's own visibility timeout: no queue to change, or a zero base or cap (as
     * {@code quarry.queue.redelivery-base-delay=0} promises; a zero delay would otherwise make the message visible at once).
     */
    public boolean isNone() {
        return queue == UNCHANGED || base.isZero() || cap.isZero();
    }

    /** A random delay in [0, min(cap, base * 2^(delivery-1))] before the delivery after {@code delivery}. */
    public Duration delayAfter(int delivery, RandomGenerator random) {
        return new Backoff(1, base, cap).delay(delivery, random);
    }
}
