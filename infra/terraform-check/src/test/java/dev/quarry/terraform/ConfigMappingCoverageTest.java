package dev.quarry.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every QUARRY_* variable Terraform sets must land on a property some {@code @ConfigMapping}
 * interface declares; otherwise Quarkus ignores it silently and the deployed function runs
 * with its default. Fails until the application declares those properties.
 */
class ConfigMappingCoverageTest {

    @Test
    void every_environment_variable_sets_a_declared_config_property() {
        Set<String> declared = ConfigMappings.properties(List.of(
                Repository.ROOT.resolve("shared"), Repository.ROOT.resolve("functions")));
        assertThat(declared).as("properties of @ConfigMapping interfaces under shared/ and functions/").isNotEmpty();

        Map<String, String> undeclared = new TreeMap<>();
        for (String env : EnvironmentVariablesTest.usedEnvironmentVariables()) {
            String property = QuarrySettings.PROPERTIES.getOrDefault(env, "<unknown: " + env + ">");
            if (!declared.contains(property)) {
                undeclared.put(env, property);
            }
        }
        assertThat(undeclared).as("QUARRY_* variables set by Terraform whose property no @ConfigMapping declares "
                + "(declared: %s)", declared).isEmpty();
    }
}
