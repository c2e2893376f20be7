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
    /** A layer: a local ({@code local.x}) or one stage function's entry of a per-stage local ({@code local.x["embed"]}). */
    private static final Pattern LAYER = Pattern.compile("local\\.(\\w+)(?:\\[\"(\\w+)\"])?");
    /** {@code { for name, stage in local.stages : name => { ... } }}: one map of settings per stage function. */
    private static final Pattern PER_STAGE = Pattern.compile(
            "(?s)\\{\\s*for\\s+(\\w+)\\s*,\\s*\\w+\\s+in\\s+local\\.stages\\s*:\\s*\\1\\s*=>\\s*(\\{.*})\\s*}");
    /** {@code var.x == null ? {} : { ... }}: settings passed only when the variable is set. */
    private static final Pattern WHEN_SET = Pattern.compile("(?s)var\\.(\\w+)\\s*==\\s*null\\s*\\?\\s*\\{\\s*}\\s*:\\s*(\\{.*})");

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
        Set<String> items = new TreeSet<>();
        layers().values().forEach(items::addAll);
        for (String item : items) {
            layerEntries(item).forEach((name, expression) -> {
                boolean literalOrTemplate = expression.startsWith("\"");
                boolean stringVariable = expression.startsWith("var.")
                        && "string".equals(MODULE.variables().get(expression.substring(4)).expression("type"));
                boolean converted = expression.startsWith("tostring(");
                boolean attribute = expression.startsWith("aws_");
                assertThat(literalOrTemplate || stringVariable || converted || attribute)
                        .as("%s = %s (%s) is a string", name, expression, item).isTrue();
            });
        }
    }

    @Test
    void openai_answers_get_the_endpoint_and_the_key_only_when_set() {
        assertThat(MODULE.variables().get("answer_provider").block("validation").expression("condition"))
                .contains("\"bedrock\"", "\"openai\"", "\"extractive\"");

        assertThat(whenSet("answer_endpoint_environment")).isEqualTo("answer_endpoint");
        assertThat(entries("answer_endpoint_environment")).containsExactly(Map.entry("QUARRY_ANSWER_ENDPOINT", "var.answer_endpoint"));
        TfBlock endpoint = MODULE.variables().get("answer_endpoint");
        assertThat(endpoint.expression("type")).isEqualTo("string");
        assertThat(endpoint.expression("default")).isEqualTo("null");

        // An OpenAI-compatible provider without an endpoint would fail at start-up; refuse it at plan time.
        assertThat(MODULE.resource("aws_lambda_function", "this").block("lifecycle").blocks("precondition"))
                .anySatisfy(precondition -> assertThat(compact(precondition.expression("condition")))
                        .isEqualTo("var.answer_provider!=\"openai\"||var.answer_endpoint!=null"));
    }

    @Test
    void the_answer_api_key_comes_from_a_secrets_manager_secret_not_a_variable() {
        assertThat(whenSet("answer_api_key_environment")).isEqualTo("answer_api_key_secret_arn");
        assertThat(entries("answer_api_key_environment")).containsExactly(Map.entry(
                "QUARRY_ANSWER_API_KEY_SECRET_ARN", "var.answer_api_key_secret_arn"));
        TfBlock arn = MODULE.variables().get("answer_api_key_secret_arn");
        assertThat(arn.expression("type")).isEqualTo("string");
        assertThat(arn.expression("default")).isEqualTo("null");

        // Credentials are named by reference (a secret ARN), never taken as a plain variable.
        assertThat(MODULE.variables().keySet())
                .filteredOn(name -> name.matches("(.*_)?(api_key|password|token|secret)(_.*)?"))
                .allMatch(name -> name.endsWith("_secret_arn"));
    }

    /**
     * The function reads the key at run time: no secret value is read by Terraform, so none is in the state
     * or in any function's environment.
     */
    @Test
    void no_secret_value_reaches_the_state_or_a_function_environment() {
        for (TerraformModule module : List.of(MODULE, TerraformModule.load(Repository.EXAMPLE))) {
            assertThat(module.dataSources("aws_secretsmanager_secret_version")).as("secret values read in %s", module.dir()).isEmpty();
            assertThat(module.dataSources("aws_secretsmanager_secrets")).isEmpty();
            for (TerraformModule.TfFile file : module.files()) {
                assertThat(HclSource.code(file.text())).as(file.path().toString())
                        .doesNotContain("secret_string", "secret_binary", "aws_secretsmanager_secret_version");
            }
        }
        Set<String> items = new TreeSet<>();
        layers().values().forEach(items::addAll);
        for (String item : items) {
            layerEntries(item).forEach((name, expression) -> assertThat(name).as("%s in %s", name, item)
                    .isNotEqualTo("QUARRY_ANSWER_API_KEY"));
        }
    }

    /** Function => the layers listed for it in local.environment_layers, as source text. */
    static Map<String, List<String>> layers() {
        Map<String, List<String>> layers = new TreeMap<>();
        objectEntries(MODULE.local("environment_layers"), "local.environment_layers")
                .forEach((function, list) -> layers.put(function, HclSource.listItems(list)));
        return layers;
    }

    /**
     * The settings one layer may pass, name => source text of the value: the entries of a local
     * object, of a local passed only when a variable is set, or of one function's entry of a
     * local with one object per pipeline stage.
     */
    static Map<String, String> layerEntries(String item) {
        Matcher layer = LAYER.matcher(item);
        assertThat(layer.matches()).as("layer %s is local.<name> or local.<name>[\"<function>\"]", item).isTrue();
        String expression = MODULE.local(layer.group(1)).trim();
        if (layer.group(2) != null) {
            Matcher perStage = PER_STAGE.matcher(expression);
            assertThat(perStage.matches()).as("local.%s is { for name, stage in local.stages : name => {...} }", layer.group(1)).isTrue();
            assertThat(Repository.stages()).as("%s names a stage of the pipeline file", item)
                    .anyMatch(stage -> stage.function().equals(layer.group(2)));
            return objectEntries(perStage.group(2), item);
        }
        Matcher whenSet = WHEN_SET.matcher(expression);
        return objectEntries(whenSet.matches() ? whenSet.group(2) : expression, item);
    }

    /** Function => union of the setting names of its layers. */
    private static Map<String, Set<String>> settingsByFunction() {
        Map<String, Set<String>> byFunction = new TreeMap<>();
        layers().forEach((function, items) -> {
            Set<String> names = new TreeSet<>();
            items.forEach(item -> names.addAll(layerEntries(item).keySet()));
            byFunction.put(function, names);
        });
        return byFunction;
    }

    /** The variable a local's settings depend on ({@code var.x == null ? {} : {...}}). */
    private static String whenSet(String local) {
        Matcher whenSet = WHEN_SET.matcher(MODULE.local(local).trim());
        assertThat(whenSet.matches()).as("local.%s is var.<name> == null ? {} : {...}", local).isTrue();
        return whenSet.group(1);
    }

    /** Entries of a local object expression, name => source text of the value. */
    private static Map<String, String> entries(String local) {
        return layerEntries("local." + local);
    }

    private static Map<String, String> objectEntries(String object, String what) {
        String expression = object.trim();
        assertThat(expression).as("%s is an object", what).startsWith("{").endsWith("}");
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
