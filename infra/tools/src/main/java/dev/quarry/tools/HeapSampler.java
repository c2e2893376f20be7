package dev.quarry.tools;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The peak of used heap during a phase, from {@link MemoryMXBean} polled every few milliseconds on a
 * daemon thread. A sample can miss a short spike between two polls, so the value is a lower bound
 * of the true peak; a {@code System.gc()} before each phase makes phases start from the same floor.
 */
final class HeapSampler implements AutoCloseable {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peak;

    private HeapSampler() {
        peak = used();
        thread = Thread.ofPlatform().daemon().name("heap-sampler").start(() -> {
            while (running) {
                long u = used();
                if (u > peak) {
                    peak = u;
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    static HeapSampler start() {
        System.gc();
        return new HeapSampler();
    }

    /** Stops sampling and returns the peak in MiB. */
    double stopMiB() {
        running = false;
        thread.interrupt();
        long u = used();
        if (u > peak) {
            peak = u;
        }
        return peak / (1024.0 * 1024.0);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }

    private static long used() {
        return MEMORY.getHeapMemoryUsage().getUsed();
    }
}
