package dev.quarry.adapters.config;

import dev.quarry.config.ConfigCheck;
import dev.quarry.config.QuarryConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Every function checks its settings as it starts (in Lambda: during init, before the first event), so a setting that
 * does not fit the others fails the deployment at once with every problem named. A value of the wrong type or an
 * unknown choice (quarry.answer.provider=gpt) already fails earlier, when Quarkus reads the mapping.
 */
@ApplicationScoped
public class ConfigCheckAtStartup {

    void check(@Observes StartupEvent started, QuarryConfig config) {
        ConfigCheck.require(config);
    }
}
