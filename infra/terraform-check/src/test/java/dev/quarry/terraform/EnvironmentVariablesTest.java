package dev.quarry.terraform;

import static dev.quarry.terraform.PipelineWiringTest.compact;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The QUARRY_* settings Terraform hands to each function: only known names, each to the functions that read it. */
class EnvironmentVariablesTest {

    private static final TerraformModule MODULE = TerraformModule.load(Repository.MODULE);
    private static final Pattern ENV_NAME = Pattern.compile("\\bQUARRY_[A-Z0-9_]+\\b");
    private static final Pattern LAYERS = Pattern.compile("(\\w+)\\s*=\\s*\\[([^\\]]*)]");

    /** Every QUARRY_* name in the code of any Terraform file (comments and string text excluded). */
    static Set<String> usedEnvironmentVariables() {
        Set<String> names = new TreeSet<>();
        for (var path : Repository.terraformFiles()) {
            collect(TerraformModule.parse(path).source(), names);
        }
        return names;
    }

    @Test
    void every_quarry_variable_in_the_terraform_is_a_known_setting() {
        Set<String> used = usedEnvironmentVariables();

        assertThat(used).as("QUARRY_* variables found in terraform/").isNotEmpty();
        assertThat(QuarrySettings.PROPERTIES.keySet()).as("allowed QUARRY_* variables").containsAll(used);
    }

    @Test
    void every_known_setting_is_passed_by_the_terraform() {
        assertThat(usedEnvironmentVariables()).containsAll(QuarrySettings.PROPERTIES.keySet());
    }

    @Test
    void each_allowed_variable_is_the_environment_name_of_its_property() {
        QuarrySettings.PROPERTIES.forEach((env, property) ->
                assertThat(QuarrySettings.environmentName(property)).as(property).isEqualTo(env));
    }

    @Test
    void functions_take_their_settings_from_the_environment_layers() {
        TfBlock function = MODULE.resource("aws_lambda_function", "this");
        String variables = compact(function.block("environment").expression("variables"));

        assertThat(variables).contains("local.environment_layers[each.key]");
    }

    @Test
    void each_function_receives_exactly_its_settings() {
        Map<String, Set<String>> actual = settingsByFunction();

        assertThat(actual).isEqualTo(new TreeMap<>(QuarrySettings.BY_FUNCTION));
    }

    @Test
    void every_function_of_the_pipeline_has_settings() {
        Set<String> functions = new TreeSet<>(Repository.stages().stream().map(Repository.Stage::function).toList());
        functions.add("query");

        assertThat(settingsByFunction().keySet()).containsAll(functions);
    }

    @Test
    void fixed_settings_have_the_values_the_functions_expect() {
        Map<String, String> common = entries("common_environment");
        assertThat(common.get("QUARRY_OPENSEARCH_ENDPOINT")).isEqualTo("\"https://${aws_opensearch_domain.this.endpoint}\"");
        assertThat(common.get("QUARRY_OPENSEARCH_SIGV4")).isEqualTo("\"true\"");
        assertThat(common.get("QUARRY_BUCKET")).isEqualTo("aws_s3_bucket.documents.id");

        Map<String, String> extract = entries("extract_environment");
        assertThat(extract.get("QUARRY_EXTRACT_TIMEOUT")).as("ISO-8601 duration").matches("\"PT\\$\\{var\\.[a-z_]+}S\"");

        Map<String, String> embedding = entries("embedding_environment");
        assertThat(embedding.get("QUARRY_EMBEDDING_PROVIDER")).isEqualTo("\"bedrock\"");
        assertThat(variableDefault(embedding.get("QUARRY_EMBEDDING_MODEL_ID"))).isEqualTo("amazon.titan-embed-text-v2:0");
        assertThat(variableDefault(embedding.get("QUARRY_EMBEDDING_DIMENSION"))).isEqualTo(1024.0);

        Map<String, String> query = entries("query_environment");
        assertThat(variableDefault(query.get("QUARRY_ANSWER_PROVIDER"))).isEqualTo("bedrock");
        assertThat(MODULE.variables().get("answer_provider").block("validation").expression("condition"))
                .contains("\"bedrock\"", "\"extractive\"");
        assertThat(variableDefault(query.get("QUARRY_AUTH_TENANT_CLAIM"))).isEqualTo("custom:tenant");
        assertThat(variableDefault(query.get("QUARRY_SEARCH_FUSION"))).isEqualTo("RRF");
    }

    @Test
    void every_setting_value_is_a_string() {
        // Lambda environment values are strings; numbers go through tostring().
        for (String local : List.of("common_environment", "extract_environment", "chunking_environment",
                "embedding_environment", "query_environment")) {
            entries(local).forEach((name, expression) -> {
                boolean literalOrTemplate = expression.startsWith("\"");
                boolean stringVariable = expression.startsWith("var.")
                        && "string".equals(MODULE.variables().get(expression.substring(4)).expression("type"));
                boolean converted = expression.startsWith("tostring(");
                boolean attribute = expression.startsWith("aws_");
                assertThat(literalOrTemplate || stringVariable || converted || attribute)
                        .as("%s = %s is a string", name, expression).isTrue();
            });
        }
    }

    /** Function => union of the keys of the local maps listed in local.environment_layers. */
    private static Map<String, Set<String>> settingsByFunction() {
        Map<String, Set<String>> byFunction = new TreeMap<>();
        Matcher layers = LAYERS.matcher(MODULE.local("environment_layers"));
        while (layers.find()) {
            Set<String> names = new TreeSet<>();
            for (String item : HclSource.listItems("[" + layers.group(2) + "]")) {
                assertThat(item).as("layer of %s", layers.group(1)).startsWith("local.");
                Object value = MODULE.localValue(item.substring("local.".length()));
                assertThat(value).as("%s is a map literal", item).isInstanceOf(Map.class);
                ((Map<?, ?>) value).keySet().forEach(key -> names.add(key.toString()));
            }
            byFunction.put(layers.group(1), names);
        }
        return byFunction;
    }

    /** Entries of a local object expression, name => source text of the value. */
    private static Map<String, String> entries(String local) {
        String expression = MODULE.local(local).trim();
        assertThat(expression).as("local.%s is an object", local).startsWith("{").endsWith("}");
        Map<String, String> entries = new TreeMap<>();
        HclSource.parse(expression.substring(1, expression.length() - 1)).attributes()
                .forEach((name, value) -> entries.put(name, value.endsWith(",") ? value.substring(0, value.length() - 1).trim() : value));
        return entries;
    }

    /** Default of the variable an expression reads, as {@code var.x} or {@code tostring(var.x)}. */
    private static Object variableDefault(String expression) {
        String unwrapped = expression.startsWith("tostring(") ? expression.substring(9, expression.length() - 1) : expression;
        assertThat(unwrapped).as("%s is set from a variable", expression).matches("var\\.[a-z0-9_]+");
        String name = unwrapped.substring(4);
        TfBlock variable = MODULE.variables().get(name);
        assertThat(variable).as("variable %s", name).isNotNull();
        return variable.value("default");
    }

    private static void collect(HclSource.Block block, Set<String> names) {
        for (String expression : block.attributes().values()) {
            Matcher matcher = ENV_NAME.matcher(HclSource.code(expression));
            while (matcher.find()) {
                names.add(matcher.group());
            }
        }
        block.blocks().forEach(child -> collect(child, names));
    }
}
