package dev.quarry.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code terraform fmt -check} is the one Terraform command that needs no provider download. */
class TerraformFmtTest {

    @Test
    void terraform_files_are_formatted() throws Exception {
        Optional<Path> terraform = onPath("terraform");
        assertThat(terraform).as("terraform is not on PATH: install the Terraform CLI (1.6 or newer, as versions.tf requires; `terraform fmt` needs no "
                + "provider or network) so that this check of %s can run", Repository.TERRAFORM).isPresent();

        Process process = new ProcessBuilder(terraform.get().toString(), "fmt", "-check", "-recursive", "-diff", "-no-color")
                .directory(Repository.TERRAFORM.toFile())
                .redirectErrorStream(true)
                .start();
        boolean finished = process.waitFor(120, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            process.destroyForcibly();
        }

        assertThat(finished).as("terraform fmt finished within 2 minutes").isTrue();
        assertThat(process.exitValue()).as("terraform fmt -check -recursive in %s; run `terraform fmt -recursive` there:%n%s",
                Repository.TERRAFORM, output).isZero();
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
