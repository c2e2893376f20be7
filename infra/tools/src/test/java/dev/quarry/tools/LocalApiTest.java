package dev.quarry.tools;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalApiTest {
    @TempDir
    Path root;

    @AfterEach
    void forgetRoot() {
        System.clearProperty("quarry.project.root");
    }

    @Test
    void reuses_a_tenants_key_and_adds_one_the_gateway_reads_for_a_new_tenant() throws Exception {
        System.setProperty("quarry.project.root", root.toString());
        Path keys = Files.createDirectories(root.resolve(".quarry")).resolve("api-keys.properties");
        Files.writeString(keys, "# comment\nlocal-demo-key=demo\n");

        assertThat(LocalApi.keyFor("demo")).isEqualTo("local-demo-key");
        String added = LocalApi.keyFor("eval-financebench-dev");

        assertThat(added).matches("local-eval-financebench-dev-[0-9a-f]+");
        assertThat(LocalApi.keyFor("eval-financebench-dev")).isEqualTo(added);
        assertThat(LocalApi.tenantOf(added)).contains("eval-financebench-dev");
        assertThat(LocalApi.tenantOf("local-demo-key")).contains("demo");
        assertThat(Files.readAllLines(keys)).hasSize(3);
    }

    @Test
    void asks_to_start_the_stack_when_it_has_written_no_keys() {
        System.setProperty("quarry.project.root", root.toString());

        assertThatThrownBy(() -> LocalApi.keyFor("demo"))
                .isInstanceOf(Tools.ToolException.class)
                .hasMessageContaining("scripts/quarry up");
        assertThat(LocalApi.stackInfo().isEmpty()).isTrue();
    }
}
