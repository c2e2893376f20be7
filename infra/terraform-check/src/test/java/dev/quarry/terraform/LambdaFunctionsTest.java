package dev.quarry.terraform;

import static dev.quarry.terraform.PipelineWiringTest.compact;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One function per stage plus query, deployed from the Quarkus build zips, JVM or native. */
class LambdaFunctionsTest {

    private static final TerraformModule MODULE = TerraformModule.load(Repository.MODULE);
    private static final TfBlock FUNCTION = MODULE.resource("aws_lambda_function", "this");

    @Test
    void functions_are_the_stages_of_the_file_plus_query() {
        String functions = compact(MODULE.local("functions"));

        assertThat(FUNCTION.expression("for_each")).isEqualTo("local.functions");
        assertThat(functions).startsWith("merge(");
        assertThat(functions).contains("forname,stageinlocal.stages:name=>{memory_mb=stage.memoryMb,timeout_seconds=stage.timeoutSeconds}");
        assertThat(functions).contains("query={memory_mb=var.query_memory_mb,timeout_seconds=var.query_timeout_seconds}");
        assertThat(FUNCTION.expression("memory_size")).isEqualTo("each.value.memory_mb");
        assertThat(FUNCTION.expression("timeout")).isEqualTo("each.value.timeout_seconds");
    }

    @Test
    void every_function_has_a_maven_module_that_builds_its_zip() {
        List<String> functions = new ArrayList<>(Repository.stages().stream().map(Repository.Stage::function).toList());
        functions.add("query");

        for (String function : functions) {
            assertThat(Repository.ROOT.resolve("functions").resolve(function).resolve("pom.xml"))
                    .as("Maven module of function %s", function).isRegularFile();
        }
    }

    @Test
    void code_comes_from_the_quarkus_function_zip() {
        assertThat(FUNCTION.expression("filename")).isEqualTo("\"${local.artifacts_dir}/${each.key}/target/function.zip\"");
        assertThat(FUNCTION.expression("source_code_hash"))
                .isEqualTo("filebase64sha256(\"${local.artifacts_dir}/${each.key}/target/function.zip\")");

        String artifactsDir = compact(MODULE.local("artifacts_dir"));
        assertThat(artifactsDir).isEqualTo("coalesce(var.artifacts_dir,\"${path.module}/../../../functions\")");
        assertThat(Repository.MODULE.resolve("../../../functions").normalize()).isEqualTo(Repository.ROOT.resolve("functions"));
    }

    @Test
    void package_type_selects_java21_or_provided_al2023() {
        assertThat(compact(MODULE.local("is_native"))).isEqualTo("var.package_type==\"native\"");
        assertThat(compact(FUNCTION.expression("runtime"))).isEqualTo("local.is_native?\"provided.al2023\":\"java21\"");
        assertThat(compact(FUNCTION.expression("handler"))).isEqualTo(
                "local.is_native?\"not.used.in.provided.runtime\":\"io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest\"");

        TfBlock packageType = MODULE.variables().get("package_type");
        assertThat(packageType.value("default")).isEqualTo("jvm");
        assertThat(packageType.block("validation").expression("condition")).contains("\"jvm\"", "\"native\"");
    }

    @Test
    void snap_start_is_optional_and_never_on_native() {
        assertThat(compact(MODULE.local("snap_start"))).isEqualTo("var.snap_start&&!local.is_native");
        TfBlock snapStart = FUNCTION.dynamicBlocks("snap_start").get(0);
        assertThat(snapStart.expression("for_each")).contains("local.snap_start");
        assertThat(snapStart.block("content").value("apply_on")).isEqualTo("PublishedVersions");
        assertThat(FUNCTION.expression("publish")).isEqualTo("local.snap_start");
    }

    @Test
    void architecture_defaults_to_x86_64() {
        assertThat(FUNCTION.expression("architectures")).isEqualTo("var.architectures");
        assertThat(MODULE.variables().get("architectures").value("default")).isEqualTo(List.of("x86_64"));
    }

    @Test
    void functions_run_in_the_vpc_next_to_opensearch() {
        TfBlock vpc = FUNCTION.block("vpc_config");
        assertThat(vpc.expression("subnet_ids")).isEqualTo("var.subnet_ids");
        assertThat(vpc.expression("security_group_ids")).contains("aws_security_group.lambda.id");
    }

    @Test
    void every_function_logs_to_its_own_group_with_retention() {
        TfBlock logs = MODULE.resource("aws_cloudwatch_log_group", "function");
        assertThat(logs.expression("for_each")).isEqualTo("local.functions");
        assertThat(logs.expression("retention_in_days")).isEqualTo("var.log_retention_days");
        assertThat(FUNCTION.block("logging_config").expression("log_group")).isEqualTo("aws_cloudwatch_log_group.function[each.key].name");
    }

    @Test
    void every_function_has_its_own_role() {
        assertThat(FUNCTION.expression("role")).isEqualTo("aws_iam_role.function[each.key].arn");
        assertThat(MODULE.resource("aws_iam_role", "function").expression("for_each")).isEqualTo("local.functions");
    }
}
