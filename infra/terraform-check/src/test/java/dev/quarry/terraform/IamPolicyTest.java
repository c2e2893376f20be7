package dev.quarry.terraform;

import static dev.quarry.terraform.PipelineWiringTest.compact;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Least privilege: one role per function, each allowed its own prefixes, queue, log group, domain and models. */
class IamPolicyTest {

    private static final TerraformModule MODULE = TerraformModule.load(Repository.MODULE);
    private static final TerraformModule EXAMPLE = TerraformModule.load(Repository.EXAMPLE);

    /** Actions AWS only authorizes on Resource "*" (no resource-level permissions). */
    private static final Set<String> RESOURCE_STAR_ACTIONS = Set.of(
            "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
            "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses", "ec2:DescribeSubnets",
            "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs", "xray:PutTraceSegments", "xray:PutTelemetryRecords");

    /** The network interface actions a VPC function's role needs (AWSLambdaVPCAccessExecutionRole without its logs:*). */
    private static final Set<String> VPC_ACCESS_ACTIONS = Set.of(
            "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
            "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses");

    /**
     * Function => "verb resource" OpenSearch grants, read from what each function sends (shared/adapters
     * opensearch/*: the stores create their index on first use with HEAD and PUT, read and extend its
     * _mapping with GET and PUT, read and write records with GET and PUT, search, count and delete by query
     * with POST; the index function bulk-writes through POST /_bulk, the query function searches through
     * POST /_msearch and reads GET /_cluster/health). An index resource is the pair "index" and "index/*".
     */
    private static final Map<String, Set<String>> OPENSEARCH_GRANTS = Map.of(
            // extract also deletes by query: a started upload forgets its document's part markers (POST /<status>/_delete_by_query)
            "extract", grants("status", "Head", "Get", "Put", "Post"),
            "chunk", grants("status", "Head", "Get", "Put"),
            "embed", grants("status", "Head", "Get", "Put"),
            "index", union(grants("status", "Head", "Get", "Put", "Post"), grants("chunks", "Head", "Get", "Put", "Post"),
                    grants("/_bulk", "Post")),
            "query", union(grants("status", "Head", "Get", "Put", "Post"), grants("chunks", "Head", "Get", "Put"),
                    grants("queries", "Head", "Get", "Put", "Post"), grants("/_msearch", "Post"), grants("/_cluster/health", "Get")));

    /** Index resource locals => the index variable they name. */
    private static final Map<String, String> INDEX_LOCALS = Map.of(
            "status", "opensearch_status_index", "chunks", "opensearch_chunk_index", "queries", "opensearch_queries_index");

    /** Function => "action path" S3 grants, path relative to the bucket ("" = the bucket itself). */
    private static final Map<String, Set<String>> S3_GRANTS = Map.of(
            "extract", Set.of("s3:GetObject documents/*", "s3:GetObject work/ranges/*",
                    "s3:GetObjectVersion documents/*", "s3:GetObjectVersion work/ranges/*",
                    "s3:PutObject work/ranges/*", "s3:PutObject work/extracted/*", "s3:ListBucket "),
            "chunk", Set.of("s3:GetObject work/extracted/*", "s3:PutObject work/chunks/*", "s3:ListBucket "),
            "embed", Set.of("s3:GetObject work/chunks/*", "s3:PutObject work/embedded/*", "s3:ListBucket "),
            "index", Set.of("s3:GetObject work/chunks/*", "s3:GetObject work/embedded/*",
                    "s3:DeleteObject work/*", "s3:ListBucket "),
            "query", Set.of("s3:GetObject documents/*", "s3:PutObject documents/*", "s3:DeleteObject documents/*"));

    /** One policy statement, static or from a dynamic block's content. */
    record Statement(TfBlock block, String effect, List<String> actions, List<String> resources) {}

    static Stream<TfBlock> policyDocuments() {
        return Stream.concat(MODULE.dataSources("aws_iam_policy_document").values().stream(),
                EXAMPLE.dataSources("aws_iam_policy_document").values().stream());
    }

    @ParameterizedTest
    @MethodSource("policyDocuments")
    void no_allow_statement_grants_every_action_of_a_service(TfBlock document) {
        for (Statement statement : statements(document)) {
            if (statement.effect().equals("Allow")) {
                assertThat(statement.block().has("not_actions")).as("%s uses not_actions", statement.block()).isFalse();
                assertThat(statement.actions()).as("%s actions", statement.block())
                        .isNotEmpty()
                        .noneMatch(action -> action.equals("*") || action.endsWith(":*"));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("policyDocuments")
    void no_allow_statement_targets_every_resource_unless_aws_requires_it(TfBlock document) {
        for (Statement statement : statements(document)) {
            if (statement.effect().equals("Allow")) {
                assertThat(statement.block().has("not_resources")).as("%s uses not_resources", statement.block()).isFalse();
                if (statement.resources().contains("\"*\"")) {
                    assertThat(RESOURCE_STAR_ACTIONS).as("%s: actions allowed on Resource \"*\"", statement.block())
                            .containsAll(statement.actions());
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("policyDocuments")
    void no_allow_statement_trusts_everyone(TfBlock document) {
        for (Statement statement : statements(document)) {
            if (statement.effect().equals("Allow")) {
                for (TfBlock principals : statement.block().blocks("principals")) {
                    assertThat(principals.value("type")).as("%s principal type", statement.block()).isNotEqualTo("*");
                    assertThat(principals.expression("identifiers")).as("%s principals", statement.block()).doesNotContain("\"*\"");
                }
            }
        }
    }

    @Test
    void every_policy_attribute_comes_from_a_policy_document() {
        Map<String, String> policyAttributes = Map.of(
                "aws_iam_role", "assume_role_policy",
                "aws_iam_role_policy", "policy",
                "aws_iam_policy", "policy",
                "aws_s3_bucket_policy", "policy",
                "aws_sqs_queue_policy", "policy",
                "aws_opensearch_domain_policy", "access_policies");
        int checked = 0;
        for (TerraformModule module : List.of(MODULE, EXAMPLE)) {
            for (var entry : policyAttributes.entrySet()) {
                for (TfBlock resource : module.resources(entry.getKey()).values()) {
                    assertThat(resource.expression(entry.getValue()))
                            .as("%s: policies are aws_iam_policy_document data sources, not inline JSON", resource)
                            .matches("data\\.aws_iam_policy_document\\.\\w+(\\[[^]]+])?\\.json|local\\.function_policies\\[each\\.key]");
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(5);
    }

    @Test
    void each_function_gets_the_policy_document_named_after_it() {
        String policies = MODULE.local("function_policies").trim();
        Map<String, String> entries = HclSource.parse(policies.substring(1, policies.length() - 1)).attributes();

        Set<String> functions = new TreeSet<>(Repository.stages().stream().map(Repository.Stage::function).toList());
        functions.add("query");
        assertThat(entries.keySet()).containsExactlyInAnyOrderElementsOf(functions);
        entries.forEach((function, document) ->
                assertThat(document).isEqualTo("data.aws_iam_policy_document." + function + ".json"));

        TfBlock rolePolicy = MODULE.resource("aws_iam_role_policy", "function");
        assertThat(rolePolicy.expression("for_each")).isEqualTo("local.functions");
        assertThat(rolePolicy.expression("role")).isEqualTo("aws_iam_role.function[each.key].id");
        assertThat(rolePolicy.expression("policy")).isEqualTo("local.function_policies[each.key]");
    }

    @Test
    void each_function_policy_builds_on_its_own_runtime_grants() {
        for (String function : S3_GRANTS.keySet()) {
            TfBlock document = MODULE.data("aws_iam_policy_document", function);
            assertThat(document.expression("source_policy_documents"))
                    .isEqualTo("[data.aws_iam_policy_document.runtime[\"" + function + "\"].json]");
        }
    }

    @Test
    void each_function_reads_and_writes_only_its_own_prefixes() {
        for (var entry : S3_GRANTS.entrySet()) {
            assertThat(s3Grants(MODULE.data("aws_iam_policy_document", entry.getKey())))
                    .as("S3 grants of %s", entry.getKey())
                    .containsExactlyInAnyOrderElementsOf(entry.getValue());
        }
        assertThat(s3Grants(MODULE.data("aws_iam_policy_document", "runtime"))).as("S3 grants every function gets").isEmpty();
    }

    @Test
    void each_stage_may_read_the_objects_that_trigger_it() {
        for (Repository.Stage stage : Repository.stages()) {
            Set<String> grants = s3Grants(MODULE.data("aws_iam_policy_document", stage.function()));
            for (Repository.Trigger trigger : stage.triggers()) {
                if (trigger.events().stream().anyMatch(event -> event.startsWith("s3:ObjectCreated"))) {
                    assertThat(grants).as("%s reads what %s%s triggers", stage.function(), trigger.prefix(), trigger.suffix())
                            .anyMatch(grant -> grant.startsWith("s3:GetObject ") && grant.endsWith("*")
                                    && trigger.prefix().startsWith(grant.substring("s3:GetObject ".length(), grant.length() - 1)));
                }
            }
        }
    }

    @Test
    void only_embed_and_query_call_bedrock_and_only_their_models() {
        Map<String, List<String>> bedrock = new TreeMap<>();
        for (String function : S3_GRANTS.keySet()) {
            for (Statement statement : statements(MODULE.data("aws_iam_policy_document", function))) {
                if (statement.actions().stream().anyMatch(action -> action.startsWith("bedrock:"))) {
                    bedrock.computeIfAbsent(function, key -> new ArrayList<>()).addAll(statement.resources());
                }
            }
        }

        assertThat(bedrock.keySet()).containsExactlyInAnyOrder("embed", "query");
        assertThat(bedrock.get("embed")).containsExactly("local.embedding_model_arn");
        assertThat(bedrock.get("query")).containsExactlyInAnyOrder("local.embedding_model_arn", "statement.value");
        assertThat(compact(MODULE.local("embedding_model_arn")))
                .isEqualTo("\"arn:${local.partition}:bedrock:${local.region}::foundation-model/${var.embedding_model_id}\"");
        assertThat(MODULE.data("aws_iam_policy_document", "query").dynamicBlocks("statement").get(0).expression("for_each"))
                .contains("local.answer_model_arns");
    }

    @Test
    void only_query_reads_a_secret_and_only_the_answer_api_key_when_one_is_set() {
        Map<String, List<Statement>> secretReads = new TreeMap<>();
        for (String function : S3_GRANTS.keySet()) {
            for (Statement statement : statements(MODULE.data("aws_iam_policy_document", function))) {
                if (statement.actions().stream().anyMatch(action -> action.startsWith("secretsmanager:"))) {
                    secretReads.computeIfAbsent(function, key -> new ArrayList<>()).add(statement);
                }
            }
        }
        assertThat(statements(MODULE.data("aws_iam_policy_document", "runtime")))
                .noneMatch(statement -> statement.actions().stream().anyMatch(action -> action.startsWith("secretsmanager:")));

        assertThat(secretReads.keySet()).containsExactly("query");
        assertThat(secretReads.get("query")).singleElement().satisfies(statement -> {
            assertThat(statement.actions()).containsExactly("secretsmanager:GetSecretValue");
            assertThat(statement.resources()).containsExactly("statement.value");
        });
        TfBlock dynamic = MODULE.data("aws_iam_policy_document", "query").dynamicBlocks("statement").stream()
                .filter(block -> block.block("content").stringList("actions").contains("secretsmanager:GetSecretValue"))
                .findFirst().orElseThrow();
        assertThat(compact(dynamic.expression("for_each")))
                .isEqualTo("var.answer_api_key_secret_arn==null?[]:[var.answer_api_key_secret_arn]");
    }

    @Test
    void each_function_consumes_only_its_own_queue() {
        TfBlock runtime = MODULE.data("aws_iam_policy_document", "runtime");
        assertThat(runtime.expression("for_each")).isEqualTo("local.functions");

        List<Statement> sqs = statements(runtime).stream()
                .filter(statement -> statement.actions().stream().anyMatch(action -> action.startsWith("sqs:")))
                .toList();
        assertThat(sqs).hasSize(3);
        assertThat(sqs).extracting(Statement::actions).containsExactlyInAnyOrder(
                List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
                List.of("sqs:ChangeMessageVisibility", "sqs:GetQueueUrl"),
                List.of("sqs:SendMessage"));
        for (String action : List.of("sqs:ReceiveMessage", "sqs:ChangeMessageVisibility")) {
            TfBlock dynamic = runtime.dynamicBlocks("statement").stream()
                    .filter(block -> block.block("content").stringList("actions").contains(action))
                    .findFirst().orElseThrow();
            assertThat(compact(dynamic.expression("for_each"))).as(action)
                    .isEqualTo("contains(keys(local.stages),each.key)?[aws_sqs_queue.stage[each.key].arn]:[]");
            assertThat(compact(dynamic.block("content").expression("resources"))).as(action).isEqualTo("[statement.value]");
        }
    }

    @Test
    void only_the_query_function_may_send_and_only_to_the_index_stages_queue() {
        TfBlock dynamic = MODULE.data("aws_iam_policy_document", "runtime").dynamicBlocks("statement").stream()
                .filter(block -> block.block("content").stringList("actions").contains("sqs:SendMessage"))
                .findFirst().orElseThrow();
        assertThat(dynamic.block("content").stringList("actions")).as("what SqsUploadExpiry calls").containsExactly("sqs:SendMessage");
        assertThat(compact(dynamic.expression("for_each"))).isEqualTo("each.key==\"query\"?[aws_sqs_queue.stage[\"index\"].arn]:[]");
        assertThat(compact(dynamic.block("content").expression("resources"))).isEqualTo("[statement.value]");
        long grants = policyDocuments().flatMap(document -> statements(document).stream())
                .filter(statement -> statement.actions().stream().anyMatch(a -> a.equals("sqs:SendMessage") || a.equals("sqs:*")))
                .filter(statement -> statement.block().blocks("principals").isEmpty()) // the queues' own policy admits S3
                .count();
        assertThat(grants).as("identity-policy statements granting sqs:SendMessage").isEqualTo(1);
        assertThat(compact(MODULE.local("query_environment"))).contains("QUARRY_QUEUE_EXPIRY_QUEUE_URL=aws_sqs_queue.stage[\"index\"].url");
    }

    @Test
    void each_stage_may_delay_the_redelivery_of_its_own_queues_messages_and_nothing_else_may() {
        TfBlock dynamic = MODULE.data("aws_iam_policy_document", "runtime").dynamicBlocks("statement").stream()
                .filter(block -> block.block("content").stringList("actions").contains("sqs:ChangeMessageVisibility"))
                .findFirst().orElseThrow();
        assertThat(dynamic.block("content").stringList("actions"))
                .as("what SqsQueueVisibility calls: GetQueueUrl once per queue, then ChangeMessageVisibility")
                .containsExactlyInAnyOrder("sqs:ChangeMessageVisibility", "sqs:GetQueueUrl");
        assertThat(compact(dynamic.block("content").expression("resources"))).isEqualTo("[statement.value]");
        long grants = policyDocuments().flatMap(document -> statements(document).stream())
                .filter(statement -> statement.actions().stream().anyMatch(a -> a.startsWith("sqs:ChangeMessageVisibility")
                        || a.equals("sqs:GetQueueUrl")))
                .count();
        assertThat(grants).as("statements granting sqs:ChangeMessageVisibility or sqs:GetQueueUrl, in any policy").isEqualTo(1);
    }

    @Test
    void each_function_writes_only_its_own_log_group() {
        List<Statement> runtime = statements(MODULE.data("aws_iam_policy_document", "runtime"));

        Statement logs = runtime.stream().filter(s -> s.actions().contains("logs:PutLogEvents")).findFirst().orElseThrow();
        assertThat(logs.actions()).containsExactlyInAnyOrder("logs:CreateLogStream", "logs:PutLogEvents");
        assertThat(logs.resources()).containsExactly("\"${aws_cloudwatch_log_group.function[each.key].arn}:*\"");
        for (String function : OPENSEARCH_GRANTS.keySet()) {
            assertThat(statements(MODULE.data("aws_iam_policy_document", function)))
                    .as("%s: no logs grant besides the runtime one", function)
                    .noneMatch(statement -> statement.actions().stream().anyMatch(action -> action.startsWith("logs:")));
        }
    }

    @Test
    void each_function_uses_only_its_indices_with_only_the_verbs_it_sends() {
        for (var entry : OPENSEARCH_GRANTS.entrySet()) {
            assertThat(openSearchGrants(MODULE.data("aws_iam_policy_document", entry.getKey())))
                    .as("OpenSearch grants of %s", entry.getKey())
                    .containsExactlyInAnyOrderElementsOf(entry.getValue());
        }
        assertThat(openSearchGrants(MODULE.data("aws_iam_policy_document", "runtime"))).as("OpenSearch grants every function gets").isEmpty();
    }

    @Test
    void an_index_resource_is_the_index_and_the_paths_below_it() {
        INDEX_LOCALS.forEach((name, variable) -> assertThat(HclSource.listItems(MODULE.local(indexLocal(name))))
                .as("local.%s", indexLocal(name))
                .containsExactly("\"${local.opensearch_domain_arn}/${var." + variable + "}\"",
                        "\"${local.opensearch_domain_arn}/${var." + variable + "}/*\""));
        assertThat(MODULE.local("opensearch_domain_arn")).isEqualTo("aws_opensearch_domain.this.arn");
    }

    /**
     * The verbs granted are the verbs the OpenSearch adapters send, and every domain-level path they send
     * (/_bulk, /_msearch) is granted to someone: a new call in the code fails here until IAM allows it.
     */
    @Test
    void the_grants_follow_the_requests_the_code_sends() throws Exception {
        Set<String> methods = new TreeSet<>();
        Set<String> domainPaths = new TreeSet<>();
        Set<String> unknown = new TreeSet<>();
        try (var files = java.nio.file.Files.walk(Repository.ROOT.resolve("shared/adapters/src/main/java/dev/quarry/adapters/opensearch"))) {
            for (var file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                Matcher call = OPENSEARCH_CALL.matcher(java.nio.file.Files.readString(file));
                while (call.find()) {
                    String request = call.group(1) == null ? call.group(2) : call.group(1) + call.group(2);
                    String sent = TYPED_REQUESTS.get(request);
                    if (sent == null) {
                        unknown.add(file.getFileName() + ": client." + request);
                        continue;
                    }
                    methods.add(sent.split(" ")[0]);
                    if (sent.contains(" /_")) {
                        domainPaths.add(sent);
                    }
                }
            }
        }
        assertThat(unknown).as("typed OpenSearch requests this test does not know the HTTP method of (add them to TYPED_REQUESTS)")
                .isEmpty();
        assertThat(methods).as("HTTP methods the OpenSearch adapters send").contains("GET", "PUT", "POST", "HEAD");
        assertThat(domainPaths).as("domain-level paths the adapters send").contains("POST /_bulk", "POST /_msearch", "GET /_cluster/health");

        Set<String> granted = new TreeSet<>();
        OPENSEARCH_GRANTS.values().forEach(granted::addAll);
        Set<String> grantedVerbs = new TreeSet<>();
        granted.forEach(grant -> grantedVerbs.add(grant.substring("es:ESHttp".length(), grant.indexOf(' ')).toUpperCase()));
        assertThat(grantedVerbs).as("verbs granted vs verbs sent").isEqualTo(methods);
        for (String path : domainPaths) {
            String method = path.substring(0, path.indexOf(' '));
            String verb = "es:ESHttp" + method.charAt(0) + method.substring(1).toLowerCase();
            assertThat(granted).as("someone may send %s", path).contains(verb + " " + path.substring(path.indexOf(' ') + 1));
        }
    }

    /**
     * {@code client.bulk(...)}, {@code client.indices().exists(...)}, {@code client.cluster().health()}: a typed
     * opensearch-java request the adapters send.
     */
    private static final Pattern OPENSEARCH_CALL = Pattern.compile("\\bclient\\.((?:indices|cluster)\\(\\)\\.)?(\\w+)\\(");

    /**
     * What each typed request the adapters use is on the wire (opensearch-java 3.6.0's endpoints): its HTTP method, and
     * its path when it is domain-level (no index in it, so the grant names the path).
     */
    private static final Map<String, String> TYPED_REQUESTS = Map.ofEntries(
            Map.entry("bulk", "POST /_bulk"), Map.entry("msearch", "POST /_msearch"),
            Map.entry("get", "GET"), Map.entry("index", "PUT"), Map.entry("create", "PUT"), Map.entry("count", "POST"),
            Map.entry("search", "POST"), Map.entry("deleteByQuery", "POST"), Map.entry("updateByQuery", "POST"),
            Map.entry("indices().exists", "HEAD"), Map.entry("indices().create", "PUT"), Map.entry("indices().getMapping", "GET"),
            Map.entry("indices().putMapping", "PUT"), Map.entry("indices().refresh", "POST"),
            Map.entry("cluster().health", "GET /_cluster/health"));

    @Test
    void no_function_may_delete_through_http_or_use_the_whole_domain() {
        for (String function : OPENSEARCH_GRANTS.keySet()) {
            for (Statement statement : statements(MODULE.data("aws_iam_policy_document", function))) {
                assertThat(statement.actions()).as("%s", statement.block())
                        .doesNotContain("es:ESHttpDelete", "es:ESHttpPatch", "es:*", "es:ESHttp*");
                assertThat(statement.resources()).as("%s", statement.block())
                        .noneMatch(resource -> resource.contains("aws_opensearch_domain.this.arn"))
                        .noneMatch(resource -> resource.matches("\"\\$\\{local\\.opensearch_domain_arn}/\\*?\""));
            }
        }
    }

    @Test
    void roles_are_for_lambda_with_inline_policies_only() {
        TfBlock assume = MODULE.data("aws_iam_policy_document", "assume_lambda");
        TfBlock principals = assume.block("statement").block("principals");
        assertThat(principals.value("type")).isEqualTo("Service");
        assertThat(principals.stringList("identifiers")).containsExactly("lambda.amazonaws.com");
        assertThat(MODULE.resource("aws_iam_role", "function").expression("assume_role_policy"))
                .isEqualTo("data.aws_iam_policy_document.assume_lambda.json");

        // No managed policy: AWSLambdaVPCAccessExecutionRole would add logs:* on "*".
        assertThat(MODULE.resources("aws_iam_role_policy_attachment")).isEmpty();
        assertThat(MODULE.resource("aws_iam_role", "function").has("managed_policy_arns")).isFalse();

        Statement eni = statements(MODULE.data("aws_iam_policy_document", "runtime")).stream()
                .filter(statement -> statement.actions().contains("ec2:CreateNetworkInterface")).findFirst().orElseThrow();
        assertThat(eni.actions()).containsExactlyInAnyOrderElementsOf(VPC_ACCESS_ACTIONS);
        assertThat(eni.resources()).containsExactly("\"*\"");
        assertThat(compact(MODULE.resource("aws_lambda_function", "this").expression("depends_on")))
                .isEqualTo("[aws_iam_role_policy.function]");
    }

    /**
     * The domain policy names the account and delegates to IAM, so each role gets only what its own policy
     * allows. Naming the roles as principals would let each of them use the whole domain.
     */
    @Test
    void opensearch_admits_only_the_function_roles_and_only_through_their_own_policies() {
        TfBlock statement = MODULE.data("aws_iam_policy_document", "opensearch_access").block("statement");

        assertThat(statement.stringList("actions")).containsExactlyInAnyOrder("es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut");
        assertThat(statement.expression("resources")).isEqualTo("[\"${aws_opensearch_domain.this.arn}/*\"]");
        TfBlock principals = statement.block("principals");
        assertThat(principals.value("type")).isEqualTo("AWS");
        assertThat(compact(principals.expression("identifiers"))).isEqualTo("[\"arn:${local.partition}:iam::${local.account_id}:root\"]");
        TfBlock condition = statement.block("condition");
        assertThat(condition.value("test")).isEqualTo("ArnEquals");
        assertThat(condition.value("variable")).isEqualTo("aws:PrincipalArn");
        assertThat(compact(condition.expression("values"))).isEqualTo("[forroleinaws_iam_role.function:role.arn]");
    }

    /** Static statements and the content of dynamic "statement" blocks. */
    static List<Statement> statements(TfBlock document) {
        List<TfBlock> blocks = new ArrayList<>(document.blocks("statement"));
        document.dynamicBlocks("statement").forEach(dynamic -> blocks.add(dynamic.block("content")));
        List<Statement> statements = new ArrayList<>();
        for (TfBlock block : blocks) {
            String effect = block.values().get("effect") instanceof String literal ? literal : "Allow";
            // Trust policies (assume_role) name no resources.
            String resources = block.optionalExpression("resources").orElse("[]").trim();
            List<String> items = resources.startsWith("[") ? HclSource.listItems(resources) : List.of(resources);
            statements.add(new Statement(block, effect, block.stringList("actions"), items));
        }
        return statements;
    }

    /** "action resource" for every OpenSearch action of a document: an index local by name, a domain path by its path. */
    private static Set<String> openSearchGrants(TfBlock document) {
        Set<String> grants = new TreeSet<>();
        for (Statement statement : statements(document)) {
            for (String action : statement.actions()) {
                if (!action.startsWith("es:")) {
                    continue;
                }
                for (String resource : statement.resources()) {
                    String name = INDEX_LOCALS.keySet().stream().filter(index -> resource.equals("local." + indexLocal(index)))
                            .findFirst().orElse(null);
                    if (name == null) {
                        Matcher path = Pattern.compile("\"\\$\\{local\\.opensearch_domain_arn}(/_[a-z_/]+)\"").matcher(resource);
                        if (!path.matches()) {
                            throw new AssertionError(statement.block() + ": OpenSearch resource " + resource
                                    + " is not an index local or \"${local.opensearch_domain_arn}/_<path>\"");
                        }
                        name = path.group(1);
                    }
                    grants.add(action + " " + name);
                }
            }
        }
        return grants;
    }

    private static String indexLocal(String name) {
        return "opensearch_" + (name.equals("chunks") ? "chunk" : name) + "_index_arns";
    }

    private static Set<String> grants(String resource, String... verbs) {
        Set<String> grants = new TreeSet<>();
        for (String verb : verbs) {
            grants.add("es:ESHttp" + verb + " " + resource);
        }
        return grants;
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new TreeSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return all;
    }

    /** "action path" for every S3 action and bucket resource of a document. */
    private static Set<String> s3Grants(TfBlock document) {
        Set<String> grants = new TreeSet<>();
        for (Statement statement : statements(document)) {
            for (String action : statement.actions()) {
                if (!action.startsWith("s3:")) {
                    continue;
                }
                for (String resource : statement.resources()) {
                    String path;
                    if (resource.equals("local.bucket_arn")) {
                        path = "";
                    } else if (resource.startsWith("\"${local.bucket_arn}/") && resource.endsWith("\"")) {
                        path = resource.substring("\"${local.bucket_arn}/".length(), resource.length() - 1);
                    } else {
                        throw new AssertionError(statement.block() + ": S3 resource " + resource
                                + " is not local.bucket_arn or \"${local.bucket_arn}/<path>\"");
                    }
                    grants.add(action + " " + path);
                }
            }
        }
        return grants;
    }
}
