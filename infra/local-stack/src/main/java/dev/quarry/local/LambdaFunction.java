package dev.quarry.local;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * One Lambda function's execution environments, as the Lambda service keeps them: an invocation runs
 * in an idle sandbox (the most recently used one first), else in a new one, up to the function's
 * concurrency; beyond it, it waits for one to be free. The {@code warm} first sandboxes are started
 * at once and replaced when they crash; a sandbox beyond them is started only when the memory bound
 * admits it and is stopped again after {@link #IDLE_REAP} without work, giving its memory back.
 */
final class LambdaFunction {
    /** How long a sandbox beyond the warm ones may stay idle before it is stopped. */
    static final Duration IDLE_REAP = Duration.ofSeconds(30);

    /** One execution environment: a process running the function against its own Runtime API. */
    interface Sandbox {
        String invoke(String payload, Duration timeout);

        boolean alive();

        /** Stops it (idle reaped, or the stack stops). */
        void stop();
    }

    /** Starts sandbox number {@code instance} of this function (numbers are reused once free). */
    interface Launcher {
        Sandbox start(int instance);
    }

    private final class Slot {
        final int instance;
        final boolean warm;
        Sandbox sandbox; // null until the first invocation (or the start) needs it
        long idleSince;

        Slot(int instance, boolean warm) {
            this.instance = instance;
            this.warm = warm;
        }
    }

    private final String name;
    private final int warm;
    private final int concurrency;
    private final int sandboxBudgetMib;
    private final MemoryBound memory;
    private final Launcher launcher;
    private final LongSupplier nanoTime;
    private final List<Slot> slots = new ArrayList<>();
    private final Deque<Slot> idle = new ArrayDeque<>();
    private final TreeSet<Integer> freeInstances = new TreeSet<>();
    private boolean closed;

    LambdaFunction(String name, int warm, int concurrency, int sandboxBudgetMib, MemoryBound memory, Launcher launcher,
            LongSupplier nanoTime) {
        if (warm < 1 || concurrency < warm) {
            throw new IllegalArgumentException(name + ": warm " + warm + " must be at least 1 and at most the concurrency " + concurrency);
        }
        this.name = name;
        this.warm = warm;
        this.concurrency = concurrency;
        this.sandboxBudgetMib = sandboxBudgetMib;
        this.memory = memory;
        this.launcher = launcher;
        this.nanoTime = nanoTime;
    }

    String name() {
        return name;
    }

    int concurrency() {
        return concurrency;
    }

    /** Starts the warm sandboxes. */
    synchronized void start() {
        for (int i = 0; i < warm; i++) {
            Slot slot = new Slot(i, true);
            slot.sandbox = launcher.start(i);
            slot.idleSince = nanoTime.getAsLong();
            slots.add(slot);
            idle.push(slot);
        }
    }

    /** Invokes the function synchronously (RequestResponse) in a free sandbox, waiting for one if all are busy. */
    String invoke(String payload, Duration timeout) {
        try (Lease lease = acquire()) {
            return lease.invoke(payload, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LambdaRuntimeApi.FunctionError(name + ": interrupted while waiting for a sandbox");
        }
    }

    /** A sandbox for one invocation, waiting until one is idle or may be started. */
    Lease acquire() throws InterruptedException {
        synchronized (this) {
            while (true) {
                Lease lease = tryAcquire();
                if (lease != null) {
                    return lease;
                }
                wait(1000); // a sandbox coming free notifies; the timeout re-checks the memory bound
            }
        }
    }

    /**
     * An idle sandbox, else room for a new one (started by the lease's first invocation, so a poller
     * that finds its queue empty starts nothing), else null.
     */
    synchronized Lease tryAcquire() {
        if (closed) {
            throw new LambdaRuntimeApi.FunctionError(name + ": the stack is stopping");
        }
        Slot slot = idle.poll();
        if (slot != null) {
            return new Lease(slot);
        }
        if (slots.size() < concurrency && memory.tryReserve(sandboxBudgetMib)) {
            int instance = freeInstances.isEmpty() ? slots.size() : freeInstances.pollFirst();
            slot = new Slot(instance, false);
            slots.add(slot);
            return new Lease(slot);
        }
        return null;
    }

    /** One invocation's hold on a sandbox; closing it makes the sandbox free for the next. */
    final class Lease implements AutoCloseable {
        private final Slot slot;
        private boolean closed;

        private Lease(Slot slot) {
            this.slot = slot;
        }

        String invoke(String payload, Duration timeout) {
            Sandbox sandbox;
            synchronized (LambdaFunction.this) {
                if (slot.sandbox == null || !slot.sandbox.alive()) {
                    restart(slot); // a cold start, as Lambda's
                }
                sandbox = slot.sandbox;
            }
            return sandbox.invoke(payload, timeout);
        }

        @Override
        public void close() {
            synchronized (LambdaFunction.this) {
                if (closed) {
                    return;
                }
                closed = true;
                if (!slot.warm && (slot.sandbox == null || !slot.sandbox.alive())) {
                    if (slot.sandbox != null) {
                        slot.sandbox.stop(); // discarded after a timeout or a crash
                    }
                    remove(slot); // or never started: the poller found its queue empty
                } else {
                    slot.idleSince = nanoTime.getAsLong();
                    idle.push(slot);
                }
                LambdaFunction.this.notifyAll();
            }
        }
    }

    /**
     * What Lambda does between invocations: a warm sandbox that died is replaced, an extra one that
     * died is dropped, and an extra one idle for {@link #IDLE_REAP} is stopped. Returns what it did, for the log.
     */
    synchronized List<String> supervise() {
        List<String> done = new ArrayList<>();
        if (closed) {
            return done;
        }
        long now = nanoTime.getAsLong();
        for (Slot slot : List.copyOf(idle)) {
            if (slot.warm && (slot.sandbox == null || !slot.sandbox.alive())) {
                restart(slot);
                done.add("replaced sandbox " + slot.instance);
            } else if (!slot.warm && !slot.sandbox.alive()) {
                idle.remove(slot);
                slot.sandbox.stop();
                remove(slot);
                done.add("dropped sandbox " + slot.instance + " (exited)");
            } else if (!slot.warm && now - slot.idleSince >= IDLE_REAP.toNanos()) {
                idle.remove(slot);
                slot.sandbox.stop();
                remove(slot);
                done.add("stopped sandbox " + slot.instance + " (idle)");
            }
        }
        if (!done.isEmpty()) {
            notifyAll();
        }
        return done;
    }

    private void restart(Slot slot) {
        if (slot.sandbox != null) {
            slot.sandbox.stop();
        }
        slot.sandbox = launcher.start(slot.instance);
    }

    private void remove(Slot slot) {
        slots.remove(slot);
        freeInstances.add(slot.instance);
        memory.release(sandboxBudgetMib);
    }

    /** Sandboxes now (started or about to be), and how many of them are idle. */
    synchronized int[] counts() {
        return new int[] {slots.size(), idle.size()};
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }
}
