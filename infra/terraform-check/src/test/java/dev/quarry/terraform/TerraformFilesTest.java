package dev.quarry.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * File-level conventions (STYLE.md convention 10) and the checks {@code terraform validate}
 * would make if providers could be downloaded here: every reference resolves and the
 * example calls the module with exactly the variables it declares.
 */
class TerraformFilesTest {

    private static final TerraformModule MODULE = TerraformModule.load(Repository.MODULE);
    private static final TerraformModule EXAMPLE = TerraformModule.load(Repository.EXAMPLE);
    private static final String SNAKE_CASE = "[a-z][a-z0-9]*(_[a-z0-9]+)*";

    static Stream<Path> terraformFiles() {
        return Repository.terraformFiles().stream();
    }

    static Stream<TerraformModule> modules() {
        return Stream.of(MODULE, EXAMPLE);
    }

    @ParameterizedTest
    @MethodSource("terraformFiles")
    void every_terraform_file_parses_with_hcl4j(Path file) {
        TerraformModule.TfFile parsed = TerraformModule.parse(file);

        assertThat(parsed.values()).as("top-level blocks hcl4j found in %s", file).isNotEmpty();
        assertThat(parsed.source().blocks()).as("top-level blocks in %s", file).isNotEmpty();
    }

    @Test
    void terraform_tree_holds_the_module_and_the_complete_example() {
        assertThat(Repository.terraformFiles()).isNotEmpty();
        for (Path dir : List.of(Repository.MODULE, Repository.EXAMPLE)) {
            for (String file : List.of("main.tf", "variables.tf", "outputs.tf", "versions.tf")) {
                assertThat(dir.resolve(file)).as("conventional file").isRegularFile();
            }
        }
        assertThat(Repository.EXAMPLE.resolve("README.md")).isRegularFile();
    }

    @ParameterizedTest
    @MethodSource("modules")
    void versions_pin_terraform_and_the_aws_provider(TerraformModule module) {
        TfBlock terraform = module.topLevel("terraform").get(0);

        assertThat(terraform.value("required_version")).isEqualTo(">= 1.6");
        Object aws = terraform.block("required_providers").value("aws");
        assertThat(aws).isInstanceOf(Map.class);
        Map<?, ?> provider = (Map<?, ?>) aws;
        assertThat(provider.get("source")).isEqualTo("hashicorp/aws");
        assertThat(provider.get("version")).isEqualTo("~> 6.0");
    }

    @ParameterizedTest
    @MethodSource("modules")
    void every_variable_is_snake_case_typed_and_described(TerraformModule module) {
        assertThat(module.variables()).isNotEmpty();
        module.variables().forEach((name, variable) -> {
            assertThat(name).as("variable name").matches(SNAKE_CASE);
            assertThat(variable.values().get("type")).as("%s has a type", variable).isNotNull();
            assertThat(variable.values().get("description")).as("%s has a description", variable)
                    .isInstanceOf(String.class).asString().isNotBlank();
        });
    }

    @ParameterizedTest
    @MethodSource("modules")
    void every_output_is_snake_case_and_described(TerraformModule module) {
        module.outputs().forEach((name, output) -> {
            assertThat(name).as("output name").matches(SNAKE_CASE);
            assertThat(output.values().get("description")).as("%s has a description", output)
                    .isInstanceOf(String.class).asString().isNotBlank();
            output.expression("value");
        });
    }

    @Test
    void module_exposes_the_outputs_callers_need() {
        assertThat(MODULE.outputs().keySet()).contains(
                "api_url", "bucket_name", "queue_urls", "dlq_urls", "opensearch_endpoint", "function_names");
        assertThat(MODULE.outputs().get("queue_urls").expression("value")).contains("aws_sqs_queue.stage");
        assertThat(MODULE.outputs().get("dlq_urls").expression("value")).contains("aws_sqs_queue.dlq");
        assertThat(MODULE.outputs().get("function_names").expression("value")).contains("aws_lambda_function.this");
    }

    @ParameterizedTest
    @MethodSource("modules")
    void every_reference_resolves_to_a_declaration(TerraformModule module) {
        Set<String> variables = module.variables().keySet();
        Set<String> locals = module.locals().keySet();
        Set<String> resources = declared(module, "resource");
        Set<String> dataSources = declared(module, "data");
        Set<String> moduleCalls = module.modules().keySet();

        List<String> unresolved = new ArrayList<>();
        for (String reference : allReferences(module)) {
            String[] parts = reference.split("\\.");
            boolean resolved = switch (parts[0]) {
                case "var" -> variables.contains(parts[1]);
                case "local" -> locals.contains(parts[1]);
                case "module" -> moduleCalls.contains(parts[1]);
                case "data" -> dataSources.contains(parts[1] + "." + parts[2]);
                default -> !parts[0].startsWith("aws_") || resources.contains(reference);
            };
            if (!resolved) {
                unresolved.add(reference);
            }
        }
        assertThat(unresolved).as("references without a declaration in %s", module.dir()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("modules")
    void every_variable_is_used(TerraformModule module) {
        Set<String> used = new TreeSet<>();
        for (String reference : allReferences(module)) {
            if (reference.startsWith("var.")) {
                used.add(reference.substring(4));
            }
        }
        assertThat(used).as("variables referenced in %s", module.dir()).containsAll(module.variables().keySet());
    }

    @Test
    void example_calls_the_module_with_exactly_its_variables() {
        TfBlock call = EXAMPLE.modules().get("quarry");
        assertThat(call).as("module \"quarry\" in the example").isNotNull();

        String source = HclSource.stringLiteral(call.expression("source"));
        assertThat(source).isNotNull();
        assertThat(Repository.EXAMPLE.resolve(source).normalize()).isEqualTo(Repository.MODULE.normalize());

        Set<String> arguments = new TreeSet<>(call.expressions().keySet());
        arguments.removeAll(Set.of("source", "version", "providers", "depends_on", "count", "for_each"));
        assertThat(MODULE.variables().keySet()).as("variables of the module").containsAll(arguments);

        Set<String> required = new TreeSet<>();
        MODULE.variables().forEach((name, variable) -> {
            if (!variable.has("default")) {
                required.add(name);
            }
        });
        assertThat(arguments).as("the example sets every variable without a default").containsAll(required);
    }

    @Test
    void example_outputs_read_existing_module_outputs() {
        for (String reference : allReferences(EXAMPLE)) {
            if (reference.startsWith("module.quarry.")) {
                assertThat(MODULE.outputs()).containsKey(reference.substring("module.quarry.".length()));
            }
        }
        List<String> fromModule = new ArrayList<>();
        EXAMPLE.outputs().values().forEach(output -> {
            String value = output.expression("value");
            if (value.startsWith("module.quarry.")) {
                fromModule.add(value.substring("module.quarry.".length()));
            }
        });
        assertThat(MODULE.outputs().keySet()).containsAll(fromModule);
    }

    @Test
    void example_points_the_module_at_the_repository_build_output() {
        String artifactsDir = EXAMPLE.modules().get("quarry").expression("artifacts_dir");
        assertThat(artifactsDir).startsWith("\"${path.root}/");
        String relative = artifactsDir.substring("\"${path.root}/".length(), artifactsDir.length() - 1);

        assertThat(Repository.EXAMPLE.resolve(relative).normalize()).isEqualTo(Repository.ROOT.resolve("functions"));
    }

    /** {@code type.name} of every resource or data source declared in the module. */
    private static Set<String> declared(TerraformModule module, String kind) {
        Set<String> names = new TreeSet<>();
        for (TfBlock block : module.topLevel(kind)) {
            names.add(block.labels().get(0) + "." + block.labels().get(1));
        }
        return names;
    }

    /** Every reference in every expression of the module, including those in nested blocks. */
    static Set<String> allReferences(TerraformModule module) {
        Set<String> references = new TreeSet<>();
        for (TerraformModule.TfFile file : module.files()) {
            collect(file.source(), references);
        }
        return references;
    }

    private static void collect(HclSource.Block block, Set<String> references) {
        for (String expression : block.attributes().values()) {
            references.addAll(HclSource.references(expression));
        }
        block.blocks().forEach(child -> collect(child, references));
    }
}
