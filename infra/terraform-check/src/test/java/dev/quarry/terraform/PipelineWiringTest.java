package dev.quarry.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The ingestion wiring comes from infra/pipeline.json and nowhere else: queues, DLQs, event
 * source mappings, bucket notifications and alarms iterate the decoded stages, and their
 * limits are read from each stage rather than copied.
 */
class PipelineWiringTest {

    private static final TerraformModule MODULE = TerraformModule.load(Repository.MODULE);

    @Test
    void module_reads_the_repository_pipeline_file() {
        assertThat(compact(MODULE.local("pipeline"))).isEqualTo("jsondecode(file(local.pipeline_file))");

        String pipelineFile = compact(MODULE.local("pipeline_file"));
        assertThat(pipelineFile).startsWith("coalesce(var.pipeline_file,\"${path.module}/").endsWith("\")");
        String relative = pipelineFile.substring("coalesce(var.pipeline_file,\"${path.module}/".length(), pipelineFile.length() - 2);
        assertThat(Repository.MODULE.resolve(relative).normalize()).isEqualTo(Repository.PIPELINE_FILE.normalize());

        TfBlock variable = MODULE.variables().get("pipeline_file");
        assertThat(variable).as("variable pipeline_file").isNotNull();
        assertThat(variable.expression("type")).isEqualTo("string");
    }

    @Test
    void stages_are_keyed_by_function_from_the_decoded_file() {
        assertThat(compact(MODULE.local("stages")))
                .isEqualTo("{forstageinlocal.pipeline.stages:stage.function=>stage}");
    }

    @Test
    void pipeline_file_is_consistent_with_what_aws_accepts() {
        List<Repository.Stage> stages = Repository.stages();
        assertThat(stages).isNotEmpty();
        Set<String> queues = new HashSet<>();
        Set<String> functions = new HashSet<>();
        for (Repository.Stage stage : stages) {
            assertThat(functions.add(stage.function())).as("function %s is unique", stage.function()).isTrue();
            assertThat(queues.add(stage.queue())).as("queue %s is unique", stage.queue()).isTrue();
            // Lambda refuses an SQS event source whose visibility timeout is below the function timeout.
            assertThat(stage.visibilityTimeoutSeconds()).as("%s visibility timeout", stage.queue()).isGreaterThanOrEqualTo(stage.timeoutSeconds());
            assertThat(stage.timeoutSeconds()).as("%s timeout", stage.function()).isBetween(1, 900);
            assertThat(stage.memoryMb()).as("%s memory", stage.function()).isBetween(128, 10240);
            assertThat(stage.batchSize()).as("%s batch size", stage.function()).isBetween(1, 10);
            assertThat(stage.maxReceiveCount()).as("%s maxReceiveCount", stage.queue()).isBetween(1, 1000);
            // Lambda's scaling_config limits; the local stack runs this many sandboxes of the function, memory allowing.
            assertThat(stage.maximumConcurrency()).as("%s maximumConcurrency", stage.function()).isBetween(2, 1000);
            assertThat(stage.triggers()).as("%s triggers", stage.function()).isNotEmpty();
            stage.triggers().forEach(trigger -> assertThat(trigger.events()).allMatch(event -> event.startsWith("s3:Object")));
        }
    }

    @Test
    void every_stage_has_a_queue_from_the_file() {
        TfBlock queue = MODULE.resource("aws_sqs_queue", "stage");

        assertThat(queue.expression("for_each")).isEqualTo("local.stages");
        assertThat(queue.expression("name")).contains("each.value.queue");
        assertThat(queue.expression("visibility_timeout_seconds")).isEqualTo("each.value.visibilityTimeoutSeconds");
        assertThat(queue.value("sqs_managed_sse_enabled")).isEqualTo(Boolean.TRUE);
    }

    @Test
    void every_stage_has_a_dead_letter_queue_kept_fourteen_days() {
        TfBlock dlq = MODULE.resource("aws_sqs_queue", "dlq");

        assertThat(dlq.expression("for_each")).isEqualTo("local.stages");
        assertThat(dlq.expression("name")).contains("each.value.queue").contains("dlq");
        assertThat(((Number) dlq.value("message_retention_seconds")).intValue()).isEqualTo(14 * 24 * 3600);
        assertThat(dlq.value("sqs_managed_sse_enabled")).isEqualTo(Boolean.TRUE);
    }

    @Test
    void redrive_sends_to_the_stage_dlq_after_max_receive_count_from_the_file() {
        String redrive = compact(MODULE.resource("aws_sqs_queue", "stage").expression("redrive_policy"));

        assertThat(redrive).startsWith("jsonencode(");
        assertThat(redrive).contains("deadLetterTargetArn=aws_sqs_queue.dlq[each.key].arn");
        assertThat(redrive).contains("maxReceiveCount=each.value.maxReceiveCount");
    }

    @Test
    void stage_functions_give_up_on_the_delivery_their_redrive_policy_makes_the_last() {
        // The queue's redrive policy reads maxReceiveCount from its stage of the pipeline file...
        TfBlock queue = MODULE.resource("aws_sqs_queue", "stage");
        assertThat(queue.expression("for_each")).isEqualTo("local.stages");
        assertThat(compact(queue.expression("redrive_policy"))).contains("maxReceiveCount=each.value.maxReceiveCount");

        // ...and so does the setting of the function that consumes that queue: same stage, same field.
        assertThat(compact(MODULE.local("queue_environment"))).isEqualTo(
                "{forname,stageinlocal.stages:name=>{QUARRY_QUEUE_MAX_RECEIVE_COUNT=tostring(stage.maxReceiveCount)}}");
        Map<String, List<String>> layers = EnvironmentVariablesTest.layers();
        for (Repository.Stage stage : Repository.stages()) {
            String own = "local.queue_environment[\"" + stage.function() + "\"]";
            assertThat(layers.get(stage.function())).as("layers of %s (maxReceiveCount %d)", stage.function(), stage.maxReceiveCount())
                    .contains(own)
                    .allSatisfy(layer -> assertThat(layer.startsWith("local.queue_environment") ? layer : own)
                            .as("%s reads its own stage's count", stage.function()).isEqualTo(own));
        }

        // No other layer sets it (a copied number would drift from pipeline.json), and query has no queue.
        layers.forEach((function, items) -> items.stream()
                .filter(item -> !item.startsWith("local.queue_environment"))
                .forEach(item -> assertThat(EnvironmentVariablesTest.layerEntries(item)).as("%s of %s", item, function)
                        .doesNotContainKey("QUARRY_QUEUE_MAX_RECEIVE_COUNT")));
        assertThat(layers.get("query")).noneMatch(item -> item.startsWith("local.queue_environment"));
    }

    @Test
    void every_queue_is_encrypted() {
        MODULE.resources("aws_sqs_queue").values().forEach(queue ->
                assertThat(Boolean.TRUE.equals(queue.values().get("sqs_managed_sse_enabled")) || queue.has("kms_master_key_id"))
                        .as("%s has server-side encryption", queue).isTrue());
    }

    @Test
    void event_source_mappings_report_batch_item_failures_with_the_file_batch_size() {
        Map<String, TfBlock> mappings = MODULE.resources("aws_lambda_event_source_mapping");
        assertThat(mappings).isNotEmpty();
        mappings.values().forEach(mapping -> {
            assertThat(mapping.stringList("function_response_types")).as("%s", mapping).containsExactly("ReportBatchItemFailures");
        });

        TfBlock mapping = MODULE.resource("aws_lambda_event_source_mapping", "stage");
        assertThat(mapping.expression("for_each")).isEqualTo("local.stages");
        assertThat(mapping.expression("event_source_arn")).isEqualTo("aws_sqs_queue.stage[each.key].arn");
        assertThat(mapping.expression("function_name")).matches("aws_lambda_(alias\\.live|function\\.this)\\[each\\.key]\\.arn");
        assertThat(mapping.expression("batch_size")).isEqualTo("each.value.batchSize");
        assertThat(compact(mapping.block("scaling_config").expression("maximum_concurrency")))
                .isEqualTo("coalesce(var.maximum_concurrency,each.value.maximumConcurrency)");
        assertThat(MODULE.variables().get("maximum_concurrency").expression("default")).isEqualTo("null");
    }

    @Test
    void bucket_notification_has_one_queue_configuration_per_trigger_in_the_file() {
        Map<String, TfBlock> notifications = MODULE.resources("aws_s3_bucket_notification");
        assertThat(notifications).as("one notification configuration per bucket").hasSize(1);
        TfBlock notification = notifications.values().iterator().next();

        assertThat(notification.expression("bucket")).isEqualTo("aws_s3_bucket.documents.id");
        assertThat(notification.blocks("queue")).as("no hand-written queue blocks").isEmpty();
        assertThat(notification.blocks("lambda_function")).isEmpty();

        List<TfBlock> dynamicQueues = notification.dynamicBlocks("queue");
        assertThat(dynamicQueues).hasSize(1);
        TfBlock queue = dynamicQueues.get(0);
        assertThat(HclSource.references(queue.expression("for_each"))).contains("local.triggers");

        TfBlock content = queue.block("content");
        assertThat(content.expression("queue_arn")).isEqualTo("aws_sqs_queue.stage[queue.value.function].arn");
        assertThat(content.expression("events")).isEqualTo("queue.value.events");
        assertThat(content.expression("filter_prefix")).isEqualTo("queue.value.prefix");
        assertThat(content.expression("filter_suffix")).isEqualTo("queue.value.suffix");

        assertThat(notification.expression("depends_on")).contains("aws_sqs_queue_policy.stage");
    }

    @Test
    void uploads_have_no_suffix_filter_because_s3_suffix_filters_are_case_sensitive() {
        // report.PDF is a PDF: a ".pdf" suffix filter would never notify its upload, and it would stay QUEUED.
        Repository.Trigger upload = Repository.stages().stream().flatMap(s -> s.triggers().stream())
                .filter(t -> t.prefix().equals("documents/")).findFirst().orElseThrow();
        assertThat(upload.suffix()).isEmpty();
        // and Terraform turns the empty suffix into no filter_suffix at all (an empty filter is refused by S3)
        assertThat(compact(MODULE.local("triggers"))).contains("suffix=trigger.suffix==\"\"?null:trigger.suffix");
    }

    @Test
    void triggers_flatten_every_stage_trigger_of_the_file() {
        String triggers = compact(MODULE.local("triggers"));

        assertThat(triggers).startsWith("flatten([forstageinlocal.pipeline.stages:[for");
        assertThat(triggers).contains("instage.triggers:");
        assertThat(triggers).contains("function=stage.function", "events=trigger.events", "prefix=trigger.prefix", "suffix=trigger.suffix==\"\"?null:trigger.suffix");
    }

    @Test
    void queues_accept_notifications_from_the_documents_bucket_only() {
        TfBlock queuePolicy = MODULE.resource("aws_sqs_queue_policy", "stage");
        assertThat(queuePolicy.expression("for_each")).isEqualTo("local.stages");
        assertThat(queuePolicy.expression("queue_url")).isEqualTo("aws_sqs_queue.stage[each.key].id");
        assertThat(queuePolicy.expression("policy")).isEqualTo("data.aws_iam_policy_document.queue[each.key].json");

        TfBlock document = MODULE.data("aws_iam_policy_document", "queue");
        assertThat(document.expression("for_each")).isEqualTo("local.stages");
        TfBlock statement = document.block("statement");
        assertThat(statement.stringList("actions")).containsExactly("sqs:SendMessage");
        assertThat(statement.expression("resources")).isEqualTo("[aws_sqs_queue.stage[each.key].arn]");
        TfBlock principals = statement.block("principals");
        assertThat(principals.value("type")).isEqualTo("Service");
        assertThat(principals.stringList("identifiers")).containsExactly("s3.amazonaws.com");
        assertThat(statement.blocks("condition")).anySatisfy(condition -> {
            assertThat(condition.value("variable")).isEqualTo("aws:SourceArn");
            assertThat(condition.expression("values")).isEqualTo("[aws_s3_bucket.documents.arn]");
        });
    }

    @Test
    void every_dead_letter_queue_raises_an_alarm_when_not_empty() {
        TfBlock alarm = MODULE.resource("aws_cloudwatch_metric_alarm", "dlq");

        assertThat(alarm.expression("for_each")).isEqualTo("local.stages");
        assertThat(alarm.value("namespace")).isEqualTo("AWS/SQS");
        assertThat(alarm.value("metric_name")).isEqualTo("ApproximateNumberOfMessagesVisible");
        assertThat(alarm.value("comparison_operator")).isEqualTo("GreaterThanThreshold");
        assertThat(((Number) alarm.value("threshold")).doubleValue()).isZero();
        assertThat(compact(alarm.expression("dimensions"))).isEqualTo("{QueueName=aws_sqs_queue.dlq[each.key].name}");
        assertThat(alarm.expression("alarm_actions")).isEqualTo("var.alarm_actions");
    }

    @Test
    void no_stage_value_is_copied_by_hand_into_the_terraform() {
        // Queue names and trigger prefixes from pipeline.json must not appear as literals in
        // the resources that are derived from it.
        List<String> derived = List.of("aws_sqs_queue", "aws_s3_bucket_notification", "aws_lambda_event_source_mapping",
                "aws_sqs_queue_policy", "aws_cloudwatch_metric_alarm");
        for (Repository.Stage stage : Repository.stages()) {
            for (String type : derived) {
                MODULE.resources(type).values().forEach(resource -> resource.expressions().values().forEach(expression -> {
                    assertThat(expression).as("%s", resource).doesNotContain("\"" + stage.queue() + "\"");
                    stage.triggers().forEach(trigger -> assertThat(expression).as("%s", resource).doesNotContain(trigger.prefix()));
                }));
            }
        }
    }

    /**
     * The expression without whitespace, for comparing shapes rather than formatting. A line
     * break that separates two entries of an object or list becomes a comma, so that one-line
     * and multi-line forms compare equal; trailing commas are dropped.
     */
    static String compact(String expression) {
        StringBuilder out = new StringBuilder();
        boolean inString = false;
        int i = 0;
        while (i < expression.length()) {
            char c = expression.charAt(i);
            if (c == '"' && (i == 0 || expression.charAt(i - 1) != '\\')) {
                inString = !inString;
            }
            if (inString || !Character.isWhitespace(c)) {
                out.append(c);
                i++;
                continue;
            }
            int end = i;
            boolean lineBreak = false;
            while (end < expression.length() && Character.isWhitespace(expression.charAt(end))) {
                lineBreak |= expression.charAt(end) == '\n';
                end++;
            }
            char before = out.isEmpty() ? '{' : out.charAt(out.length() - 1);
            char after = end < expression.length() ? expression.charAt(end) : '}';
            if (lineBreak && "{[(,?:".indexOf(before) < 0 && "}])?:".indexOf(after) < 0) {
                out.append(',');
            }
            i = end;
        }
        return out.toString().replace(",}", "}").replace(",]", "]").replace(",)", ")");
    }
}
