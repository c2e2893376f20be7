package dev.quarry.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LambdaFunctionTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int BUDGET = 544;

    private final List<FakeSandbox> started = new ArrayList<>();
    private final AtomicLong now = new AtomicLong();
    private final ExecutorService callers = Executors.newCachedThreadPool(); // the common pool may have one thread
    private volatile CountDownLatch release = new CountDownLatch(0);
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostRunning = new AtomicInteger();

    private final class FakeSandbox implements LambdaFunction.Sandbox {
        final int instance;
        volatile boolean alive = true;
        volatile boolean stopped;

        FakeSandbox(int instance) {
            this.instance = instance;
        }

        @Override
        public String invoke(String payload, Duration timeout) {
            mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                if (!release.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("test never released the invocation");
                }
                if (payload.equals("crash")) {
                    alive = false;
                    throw new LambdaRuntimeApi.FunctionError("Runtime exited with error: exit status 137");
                }
                return "done by " + instance;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                running.decrementAndGet();
            }
        }

        @Override
        public boolean alive() {
            return alive;
        }

        @Override
        public void stop() {
            alive = false;
            stopped = true;
        }
    }

    private LambdaFunction function(int warm, int concurrency, MemoryBound memory) {
        LambdaFunction f = new LambdaFunction("extract", warm, concurrency, BUDGET, memory, instance -> {
            synchronized (started) {
                FakeSandbox s = new FakeSandbox(instance);
                started.add(s);
                return s;
            }
        }, now::get);
        f.start();
        return f;
    }

    private void awaitRunning(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (running.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(running.get()).isEqualTo(n);
    }

    private static MemoryBound plenty() {
        return new MemoryBound(MemoryBound.BOUND_MIB, () -> 0);
    }

    @Test
    void one_invocation_after_another_reuses_the_warm_sandbox() {
        LambdaFunction f = function(1, 10, plenty());

        for (int i = 0; i < 5; i++) {
            assertThat(f.invoke("e", TIMEOUT)).isEqualTo("done by 0");
        }

        assertThat(started).hasSize(1);
    }

    @Test
    void concurrent_invocations_start_sandboxes_up_to_the_concurrency_and_the_rest_wait() throws Exception {
        LambdaFunction f = function(1, 3, plenty());
        release = new CountDownLatch(1);

        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> f.invoke("e", TIMEOUT), callers));
        }
        awaitRunning(3);
        Thread.sleep(200);
        assertThat(running.get()).as("no more than the concurrency at once").isEqualTo(3);
        assertThat(f.tryAcquire()).as("no room while all three are busy").isNull();

        release.countDown();
        for (CompletableFuture<String> call : calls) {
            assertThat(call.get(5, TimeUnit.SECONDS)).startsWith("done by");
        }
        assertThat(mostRunning.get()).isEqualTo(3);
        assertThat(started).hasSize(3);
    }

    @Test
    void a_lease_that_invokes_nothing_starts_no_sandbox_and_gives_its_memory_back() {
        MemoryBound memory = plenty();
        LambdaFunction f = function(1, 10, memory);

        try (LambdaFunction.Lease warm = f.tryAcquire(); LambdaFunction.Lease extra = f.tryAcquire()) {
            assertThat(warm).isNotNull();
            assertThat(extra).isNotNull();
            assertThat(memory.reservedMib()).isEqualTo(BUDGET);
        }

        assertThat(started).hasSize(1);
        assertThat(memory.reservedMib()).isZero();
        assertThat(f.counts()).containsExactly(1, 1);
    }

    @Test
    void no_sandbox_beyond_the_warm_one_when_the_memory_bound_does_not_admit_it() {
        LambdaFunction f = function(1, 10, new MemoryBound(4096, () -> 4096 - BUDGET + 1));

        try (LambdaFunction.Lease warm = f.tryAcquire()) {
            assertThat(warm).isNotNull();
            assertThat(f.tryAcquire()).isNull();
        }
        assertThat(f.tryAcquire()).as("the warm one again, once free").isNotNull();
    }

    @Test
    void an_extra_sandbox_idle_for_the_reap_time_is_stopped_and_the_warm_one_kept() throws Exception {
        MemoryBound memory = plenty();
        LambdaFunction f = function(1, 10, memory);
        release = new CountDownLatch(1);
        var a = CompletableFuture.supplyAsync(() -> f.invoke("e", TIMEOUT), callers);
        var b = CompletableFuture.supplyAsync(() -> f.invoke("e", TIMEOUT), callers);
        awaitRunning(2);
        release.countDown();
        a.get(5, TimeUnit.SECONDS);
        b.get(5, TimeUnit.SECONDS);
        assertThat(memory.reservedMib()).isEqualTo(BUDGET);

        now.addAndGet(LambdaFunction.IDLE_REAP.toNanos() - 1);
        assertThat(f.supervise()).isEmpty();
        now.addAndGet(1);
        assertThat(f.supervise()).containsExactly("stopped sandbox 1 (idle)");

        assertThat(started.get(1).stopped).isTrue();
        assertThat(started.get(0).stopped).isFalse();
        assertThat(memory.reservedMib()).isZero();
        assertThat(f.counts()).containsExactly(1, 1);
    }

    @Test
    void a_crashed_warm_sandbox_is_replaced_and_a_crashed_extra_one_dropped() throws Exception {
        MemoryBound memory = plenty();
        LambdaFunction f = function(1, 10, memory);
        release = new CountDownLatch(1);
        var a = CompletableFuture.supplyAsync(() -> f.invoke("crash", TIMEOUT), callers);
        var b = CompletableFuture.supplyAsync(() -> f.invoke("crash", TIMEOUT), callers);
        awaitRunning(2);
        release.countDown();
        for (var call : List.of(a, b)) {
            assertThatThrownBy(() -> call.join()).hasRootCauseInstanceOf(LambdaRuntimeApi.FunctionError.class);
        }
        assertThat(memory.reservedMib()).as("the crashed extra sandbox gave its memory back").isZero();

        assertThat(f.supervise()).containsExactly("replaced sandbox 0");

        assertThat(started).hasSize(3);
        assertThat(started.get(2).instance).isZero();
        assertThat(f.invoke("e", TIMEOUT)).isEqualTo("done by 0");
    }

    @Test
    void sandbox_numbers_are_reused_once_free() {
        LambdaFunction f = function(1, 10, plenty());
        try (var w = f.tryAcquire(); var one = f.tryAcquire(); var two = f.tryAcquire()) {
            one.invoke("e", TIMEOUT);
            two.invoke("e", TIMEOUT);
        }
        now.addAndGet(LambdaFunction.IDLE_REAP.toNanos());
        f.supervise();
        try (var w = f.tryAcquire(); var again = f.tryAcquire()) {
            again.invoke("e", TIMEOUT);
        }

        assertThat(started).extracting(s -> s.instance).containsExactly(0, 1, 2, 1);
    }
}
