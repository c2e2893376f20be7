package dev.quarry.testsupport;

import dev.quarry.core.port.SearchBackendHealth;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link SearchBackendHealth} must do while its backend answers. */
public abstract class SearchBackendHealthContract {

    /** The health check under test, of a backend that answers. */
    protected abstract SearchBackendHealth health();

    @Test
    void an_answering_backend_reports_green_yellow_or_red() {
        assertThat(health().status()).isIn("green", "yellow", "red");
    }
}
