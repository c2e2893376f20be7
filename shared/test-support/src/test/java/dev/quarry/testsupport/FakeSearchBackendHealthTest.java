package dev.quarry.testsupport;

import dev.quarry.core.port.SearchBackendHealth;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FakeSearchBackendHealthTest extends SearchBackendHealthContract {
    private final FakeSearchBackendHealth fake = new FakeSearchBackendHealth();

    @Override
    protected SearchBackendHealth health() {
        return fake;
    }

    @Test
    void reports_the_status_it_was_given_and_fails_while_unreachable_until_reset() {
        fake.status("yellow");
        assertThat(fake.status()).isEqualTo("yellow");

        fake.unreachable();
        assertThatThrownBy(fake::status).isInstanceOf(RuntimeException.class);

        fake.reset();
        assertThat(fake.status()).isEqualTo("green");
    }
}
