package dev.quarry.core.lambda;

import dev.quarry.core.port.QueueVisibility;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Backoff between deliveries: a message left to the queue after its delivery n is hidden for a random time
 * between half of and all of {@code min(cap, base * 2^(n-1))} ("equal jitter"), so sandboxes that failed together
 * do not come back together, and the deliveries a queue allows still span an outage: the floor keeps a run of
 * unlucky short draws from spending every delivery (and dead-lettering the document) within a minute.
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

    /** A random delay in [ceiling / 2, ceiling], ceiling = min(cap, base * 2^(delivery-1)), before the next delivery. */
    public Duration delayAfter(int delivery, RandomGenerator random) {
        long ceiling = new Backoff(1, base, cap).ceiling(delivery).toMillis();
        long half = ceiling / 2;
        return Duration.ofMillis(half + random.nextLong(ceiling - half + 1));
    }
}
