package dev.quarry.local;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code scripts/quarry redrive [queue...]}: puts the messages of the pipeline's dead-letter queues back
 * into the queues they came from, once the cause that sent them there is fixed, with SQS's own
 * {@code StartMessageMoveTask} (what the console's "Start DLQ redrive" calls in AWS; there it is
 * {@code aws sqs start-message-move-task --source-arn <dlq-arn>}). The functions are idempotent, so a
 * message that completes its document's version again changes nothing.
 */
public final class Redrive {
    private static final Duration TASK_TIMEOUT = Duration.ofMinutes(5);

    private final SqsClient sqs;
    private final Pipeline pipeline;

    Redrive(SqsClient sqs, Pipeline pipeline) {
        this.sqs = sqs;
        this.pipeline = pipeline;
    }

    public static void main(String[] args) {
        StackConfig config = StackConfig.load(StackConfig.findProjectRoot());
        if (!LocalStack.running(config)) {
            System.err.println("The local stack is not running: start it with scripts/quarry up");
            System.exit(1);
        }
        Pipeline pipeline = Pipeline.load(config.projectRoot());
        List<String> known = pipeline.stages().stream().map(Pipeline.Stage::queue).toList();
        for (String a : args) {
            if (!known.contains(a)) {
                System.err.println("usage: quarry redrive [" + String.join("|", known) + "]...   (no queue: every dead-letter queue)");
                System.exit(2);
            }
        }
        try (SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(config.sqsEndpoint()))
                .region(Region.of(config.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build()) {
            Map<String, Long> moved = new Redrive(sqs, pipeline).run(args.length == 0 ? known : List.of(args));
            moved.forEach((queue, n) -> System.out.println(queue + ": " + n + " message" + (n == 1 ? "" : "s") + " moved back"));
        }
    }

    /** Moves every message of each named stage's dead-letter queue back to its queue; returns how many, per DLQ. */
    Map<String, Long> run(List<String> queues) {
        Map<String, String> tasks = new LinkedHashMap<>(); // DLQ name -> source ARN
        Map<String, Long> moved = new LinkedHashMap<>();
        for (Pipeline.Stage stage : pipeline.stages()) {
            if (!queues.contains(stage.queue())) {
                continue;
            }
            String url = sqs.getQueueUrl(b -> b.queueName(stage.dlqName())).queueUrl();
            Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                    QueueAttributeName.QUEUE_ARN, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes();
            if (Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)) == 0) {
                moved.put(stage.dlqName(), 0L);
                continue;
            }
            String arn = a.get(QueueAttributeName.QUEUE_ARN);
            // No destination: SQS moves each message back to the queue it was dead-lettered from.
            sqs.startMessageMoveTask(b -> b.sourceArn(arn));
            tasks.put(stage.dlqName(), arn);
        }
        long deadline = System.nanoTime() + TASK_TIMEOUT.toNanos();
        List<String> pending = new ArrayList<>(tasks.keySet());
        while (!pending.isEmpty()) {
            for (String dlq : List.copyOf(pending)) {
                ListMessageMoveTasksResultEntry task = sqs.listMessageMoveTasks(b -> b.sourceArn(tasks.get(dlq)).maxResults(1))
                        .results().stream().findFirst().orElseThrow();
                switch (task.status()) {
                    case "COMPLETED" -> {
                        moved.put(dlq, task.approximateNumberOfMessagesMoved());
                        pending.remove(dlq);
                    }
                    case "FAILED", "CANCELLED" -> throw new IllegalStateException("Redriving " + dlq + " ended " + task.status()
                            + (task.failureReason() == null ? "" : ": " + task.failureReason()));
                    default -> {
                        // RUNNING or CANCELLING
                    }
                }
            }
            if (!pending.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Redriving " + pending + " did not complete within " + TASK_TIMEOUT);
                }
                Servers.sleep(200);
            }
        }
        return moved;
    }
}
