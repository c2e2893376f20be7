package dev.quarry.local;

import java.util.function.LongSupplier;

/**
 * The local stack's memory bound: the resident memory of all its processes stays within 4 GiB (the
 * bound the README states and measures). The servers and each function's warm
 * sandboxes are always there and count with what they hold now (VmRSS); a sandbox started beyond
 * them, to run invocations concurrently, counts with all it may grow to: its heap (-Xmx) plus
 * {@link #NON_HEAP_MIB}. One is started only while that sum stays within {@link #BOUND_MIB}.
 */
final class MemoryBound {
    /** The stack's whole budget: the sum of its processes' resident memory. */
    static final int BOUND_MIB = 4096;
    /**
     * A sandbox's memory beside its heap: metaspace (at most 192 MiB, about 70 used), code cache
     * (C1 only), thread stacks, the runtime client's JNI library, and in embed the ONNX model and its
     * arenas. Measured: embed, the largest, holds 409 MiB after a sweep with a 384 MiB heap of which
     * it uses far less; extract 231, chunk 189, index 164.
     */
    static final int NON_HEAP_MIB = 160;

    private final int boundMib;
    private final LongSupplier residentMib;
    private int reservedMib;

    /** {@code residentMib}: what the always-running processes (servers, warm sandboxes) hold now. */
    MemoryBound(int boundMib, LongSupplier residentMib) {
        this.boundMib = boundMib;
        this.residentMib = residentMib;
    }

    /** All a sandbox with this heap may grow to. */
    static int sandboxBudgetMib(int heapMib) {
        return heapMib + NON_HEAP_MIB;
    }

    /** Takes a sandbox's budget if it fits beside what runs now and what other extra sandboxes took. */
    synchronized boolean tryReserve(int budgetMib) {
        if (residentMib.getAsLong() + reservedMib + budgetMib > boundMib) {
            return false;
        }
        reservedMib += budgetMib;
        return true;
    }

    synchronized void release(int budgetMib) {
        reservedMib -= budgetMib;
        if (reservedMib < 0) {
            throw new IllegalStateException("released more memory than was reserved");
        }
    }

    synchronized int reservedMib() {
        return reservedMib;
    }
}
