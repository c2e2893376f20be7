package dev.quarry.terraform;

import static dev.quarry.terraform.PipelineWiringTest.compact;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lambda keeps every published version, each a full copy of its code, in a code storage of 75 GB a
 * region: with SnapStart each deploy publishes ~640 MB across the functions. The rule: publish only
 * when SnapStart needs a version, invoke only through the "live" alias, and after each deploy delete
 * the versions no alias uses beyond the newest two (scripts/quarry deploy, prune-versions).
 */
class LambdaVersionsTest {

    private static final TerraformModule MODULE = TerraformModule.load(Repository.MODULE);
    private static final Path SCRIPT = Repository.ROOT.resolve("scripts/quarry");

    @Test
    void versions_are_published_only_for_snap_start() {
        TfBlock function = MODULE.resource("aws_lambda_function", "this");

        assertThat(function.expression("publish")).isEqualTo("local.snap_start");
        assertThat(compact(MODULE.local("snap_start"))).isEqualTo("var.snap_start&&!local.is_native");
        assertThat(MODULE.variables().get("snap_start").expression("default")).isEqualTo("false");
        assertThat(compact(function.dynamicBlocks("snap_start").get(0).expression("for_each"))).isEqualTo("local.snap_start?[true]:[]");
    }

    /** Nothing but the alias names a version, so every version but the alias's own is unused after a deploy. */
    @Test
    void everything_invokes_the_live_alias_and_only_the_alias_names_a_version() {
        TfBlock alias = MODULE.resource("aws_lambda_alias", "live");
        assertThat(alias.expression("function_version")).isEqualTo("aws_lambda_function.this[each.key].version");

        assertThat(MODULE.resource("aws_lambda_event_source_mapping", "stage").expression("function_name"))
                .isEqualTo("aws_lambda_alias.live[each.key].arn");
        assertThat(MODULE.resource("aws_apigatewayv2_integration", "query").expression("integration_uri"))
                .isEqualTo("aws_lambda_alias.live[\"query\"].invoke_arn");
        assertThat(MODULE.resource("aws_lambda_permission", "api").expression("qualifier"))
                .isEqualTo("aws_lambda_alias.live[\"query\"].name");

        int versionReferences = 0;
        for (TerraformModule.TfFile file : MODULE.files()) {
            String code = HclSource.code(file.text()).replace(" ", "");
            assertThat(code).as("%s names a qualified ARN outside the alias", file.path().getFileName())
                    .doesNotContainPattern("aws_lambda_function\\.this\\[[^]]+]\\.(qualified_arn|qualified_invoke_arn)");
            versionReferences += code.split("aws_lambda_function\\.this\\[[^]]+]\\.version\\b", -1).length - 1;
        }
        assertThat(versionReferences).as("references to a function's version (the alias's only)").isEqualTo(1);
    }

    @Test
    void deploy_prunes_after_terraform_apply() throws IOException {
        String script = Files.readString(SCRIPT);
        String deploy = script.substring(script.indexOf("  deploy)"), script.indexOf(";;", script.indexOf("terraform apply")) + 2);

        assertThat(deploy.indexOf("prune_versions")).as("scripts/quarry deploy prunes after terraform apply")
                .isGreaterThan(deploy.indexOf("terraform apply"));
        assertThat(deploy).contains("terraform output -json function_names");
        assertThat(MODULE.outputs()).containsKey("function_names");
    }

    /** The pruning itself, against a stand-in for the AWS CLI that answers with versions and aliases and records deletions. */
    @Test
    void prune_keeps_aliased_versions_and_the_newest_two_and_deletes_the_rest(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("aws.log");
        Path aws = dir.resolve("aws");
        Files.writeString(aws, """
                #!/usr/bin/env bash
                echo "$*" >> "$AWS_LOG"
                case "$2" in
                  list-aliases) printf '10\\t3\\n' ;;
                  list-versions-by-function) printf '10\\t9\\t1\\t2\\t3\\t4\\n5\\t6\\t7\\t8\\n' ;;
                esac
                """);
        Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwxr-xr-x"));

        List<String> deleted = deletedVersions(run(dir, log, Map.of(), "quarry-query"));
        assertThat(deleted).containsExactly("1", "2", "4", "5", "6", "7", "8");

        Files.delete(log);
        assertThat(deletedVersions(run(dir, log, Map.of("QUARRY_KEEP_VERSIONS", "6"), "quarry-query"))).containsExactly("1", "2", "4");
    }

    private static List<String> run(Path awsDir, Path log, Map<String, String> env, String... functions) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString(), "prune-versions"));
        command.addAll(List.of(functions));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PATH", awsDir + ":" + System.getenv("PATH"));
        builder.environment().put("AWS_LOG", log.toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("scripts/quarry prune-versions: %s", output).isZero();
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private static List<String> deletedVersions(List<String> calls) {
        return calls.stream().filter(call -> call.startsWith("lambda delete-function"))
                .peek(call -> assertThat(call).contains("--function-name quarry-query"))
                .map(call -> call.substring(call.indexOf("--qualifier ") + "--qualifier ".length()).trim())
                .toList();
    }
}
