package dev.quarry.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemoryBoundTest {

    @Test
    void a_sandbox_budget_is_its_heap_plus_what_a_jvm_holds_beside_it() {
        assertThat(MemoryBound.sandboxBudgetMib(384)).isEqualTo(384 + MemoryBound.NON_HEAP_MIB);
        assertThat(MemoryBound.BOUND_MIB).isEqualTo(4096);
    }

    @Test
    void admits_extra_sandboxes_only_while_resident_plus_their_budgets_stay_within_the_bound() {
        MemoryBound bound = new MemoryBound(4096, () -> 2800);

        assertThat(bound.tryReserve(544)).isTrue();  // 3344
        assertThat(bound.tryReserve(544)).isTrue();  // 3888
        assertThat(bound.tryReserve(544)).as("4432 > 4096").isFalse();
        assertThat(bound.tryReserve(208)).as("exactly 4096 fits").isTrue();
        assertThat(bound.reservedMib()).isEqualTo(1296);
    }

    @Test
    void a_released_budget_makes_room_again() {
        MemoryBound bound = new MemoryBound(1000, () -> 400);
        assertThat(bound.tryReserve(500)).isTrue();
        assertThat(bound.tryReserve(500)).isFalse();

        bound.release(500);

        assertThat(bound.tryReserve(500)).isTrue();
    }

    @Test
    void growth_of_the_processes_that_always_run_leaves_less_room() {
        AtomicLong resident = new AtomicLong(2000);
        MemoryBound bound = new MemoryBound(4096, resident::get);
        assertThat(bound.tryReserve(544)).isTrue();

        resident.set(3500);

        assertThat(bound.tryReserve(544)).isFalse();
    }
}
