package dev.quarry.terraform;

import static dev.quarry.terraform.PipelineWiringTest.compact;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** One function per stage plus query, deployed from the Quarkus build zips (through S3), JVM or native. */
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
        for (String function : functionNames()) {
            assertThat(Repository.ROOT.resolve("functions").resolve(function).resolve("pom.xml"))
                    .as("Maven module of function %s", function).isRegularFile();
        }
    }

    @Test
    void every_function_is_deployed_from_its_zip_uploaded_to_s3() {
        // A direct upload (filename) is capped at 50 MB; the JVM zips are several times that.
        Map<String, TfBlock> functions = MODULE.resources("aws_lambda_function");
        assertThat(functions).isNotEmpty();
        functions.values().forEach(function -> {
            assertThat(function.has("filename")).as("%s uploads its code directly", function).isFalse();
            assertThat(function.has("image_uri")).as("%s is a container image", function).isFalse();
            assertThat(HclSource.references(function.expression("s3_bucket"))).as("%s s3_bucket", function).contains("aws_s3_object.function");
        });

        assertThat(FUNCTION.expression("s3_bucket")).isEqualTo("aws_s3_object.function[each.key].bucket");
        assertThat(FUNCTION.expression("s3_key")).isEqualTo("aws_s3_object.function[each.key].key");
        // Pinning the version makes every upload a code update, even when the key stays the same.
        assertThat(FUNCTION.expression("s3_object_version")).isEqualTo("aws_s3_object.function[each.key].version_id");
        assertThat(FUNCTION.expression("source_code_hash")).isEqualTo("filebase64sha256(local.function_zips[each.key])");
    }

    @Test
    void every_function_zip_is_uploaded_again_when_it_changes() {
        TfBlock object = MODULE.resource("aws_s3_object", "function");

        assertThat(object.expression("for_each")).isEqualTo("local.functions");
        assertThat(object.expression("bucket")).isEqualTo("local.artifacts_bucket");
        assertThat(object.expression("key")).contains("${var.name}/", "${each.key}/");
        assertThat(object.expression("source")).isEqualTo("local.function_zips[each.key]");
        assertThat(object.expression("source_hash")).isEqualTo("filemd5(local.function_zips[each.key])");

        assertThat(compact(MODULE.local("function_zips")))
                .isEqualTo("{forname,functioninlocal.functions:name=>format(\"%s/%s/target/aws/function.zip\",local.artifacts_dir,name)}");
        String artifactsDir = compact(MODULE.local("artifacts_dir"));
        assertThat(artifactsDir).isEqualTo("coalesce(var.artifacts_dir,\"${path.module}/../../../functions\")");
        assertThat(Repository.MODULE.resolve("../../../functions").normalize()).isEqualTo(Repository.ROOT.resolve("functions"));
    }

    @Test
    void zips_go_to_the_module_artifacts_bucket_unless_the_caller_names_one() {
        assertThat(compact(MODULE.local("create_artifacts_bucket"))).isEqualTo("var.artifacts_bucket==null");
        assertThat(compact(MODULE.local("artifacts_bucket")))
                .isEqualTo("local.create_artifacts_bucket?aws_s3_bucket.artifacts[0].id:var.artifacts_bucket");
        assertThat(compact(MODULE.resource("aws_s3_bucket", "artifacts").expression("count")))
                .isEqualTo("local.create_artifacts_bucket?1:0");
        TfBlock variable = MODULE.variables().get("artifacts_bucket");
        assertThat(variable.expression("type")).isEqualTo("string");
        assertThat(variable.expression("default")).isEqualTo("null");
        assertThat(MODULE.outputs()).containsKey("artifacts_bucket");
    }

    @Test
    void native_builds_include_the_opensearch_index_definitions() throws IOException {
        // OpenSearchIndices reads the definitions from the classpath; a native image holds only included resources.
        Path indices = Repository.ROOT.resolve("shared/adapters/src/main/java/dev/quarry/adapters/opensearch/OpenSearchIndices.java");
        assertThat(Files.readString(indices)).contains("getResourceAsStream(\"/opensearch/\" + name + \".json\")");
        List<Path> definitions;
        try (Stream<Path> files = Files.list(Repository.ROOT.resolve("infra/opensearch"))) {
            definitions = files.filter(file -> file.toString().endsWith(".json"))
                    .map(file -> Path.of("opensearch", file.getFileName().toString())).toList();
        }
        assertThat(definitions).isNotEmpty();

        for (String function : functionNames()) {
            Properties properties = new Properties();
            try (var in = Files.newBufferedReader(
                    Repository.ROOT.resolve("functions").resolve(function).resolve("src/main/resources/application.properties"))) {
                properties.load(in);
            }
            List<PathMatcher> includes = Arrays.stream(properties.getProperty("quarkus.native.resources.includes", "").split(","))
                    .map(String::trim).filter(glob -> !glob.isEmpty())
                    .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob)).toList();
            assertThat(definitions).as("index definitions in the native image of %s", function)
                    .allMatch(definition -> includes.stream().anyMatch(include -> include.matches(definition)));
        }
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
    void native_functions_leave_signal_handling_to_the_lambda_runtime() {
        String runtime = compact(MODULE.local("runtime_environment"));

        assertThat(runtime).startsWith("local.is_native?{DISABLE_SIGNAL_HANDLERS=\"true\"}:{JAVA_TOOL_OPTIONS=");
        assertThat(compact(FUNCTION.block("environment").expression("variables"))).contains("local.runtime_environment");
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

    /** The stages of the pipeline file plus query. */
    private static List<String> functionNames() {
        List<String> functions = new ArrayList<>(Repository.stages().stream().map(Repository.Stage::function).toList());
        functions.add("query");
        return functions;
    }
}
