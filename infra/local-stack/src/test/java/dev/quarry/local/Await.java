package dev.quarry.local;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for a condition, never for a duration: polls until it holds; the deadline only bounds a failure. */
final class Await {
    private static final long POLL_MILLIS = 500;

    private Await() {
    }

    /** Probes until {@code done} accepts what {@code probe} returns, and returns that; fails with the last value seen. */
    static <T> T until(String what, Duration deadline, Supplier<T> probe, Predicate<T> done) {
        long end = System.nanoTime() + deadline.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what + " did not happen within " + deadline + "; last seen: " + last);
            }
            Servers.sleep(POLL_MILLIS);
            last = probe.get();
        }
        return last;
    }
}
