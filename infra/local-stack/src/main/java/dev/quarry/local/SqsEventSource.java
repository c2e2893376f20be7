package dev.quarry.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What Lambda's SQS event source mapping does, for one queue: receive up to batchSize messages,
 * invoke the function with the SQS event JSON, delete the messages that did not fail
 * (ReportBatchItemFailures), and leave the failed ones to become visible again, so after
 * maxReceiveCount receipts the queue's redrive policy moves them to the DLQ. Like Lambda's poller it
 * runs up to the mapping's maximumConcurrency invocations at once, and it receives a batch only once
 * a sandbox is free for it (or may be started), so no message waits hidden for a sandbox.
 * <p>
 * Like Lambda's, it never changes the visibility of a failed message: one the function delayed (backoff
 * between deliveries, ChangeMessageVisibility) comes back after that delay, any other after the queue's
 * visibility timeout. Locally that timeout is short so that failures retry quickly; while the function still
 * works on a batch, a heartbeat keeps its messages hidden (as a visibility timeout at least as long as the
 * function's timeout does in AWS), except the messages whose visibility a client has changed, so the heartbeat
 * never overrides the function's delay.
 */
final class SqsEventSource implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Pipeline.Stage stage;
    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final String region;
    private final LambdaFunction function;
    private final int visibilityTimeoutSeconds;
    private final Semaphore concurrency;
    private final ClientVisibility clientVisibility;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService invocations = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "event-source-invoke");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "visibility-heartbeat");
        t.setDaemon(true);
        return t;
    });

    /** What the queue knows of the visibility changes its clients made (see {@link SqsEndpoint}). */
    interface ClientVisibility {
        /** Runs {@code change} unless a client has changed the visibility of the message received with this handle. */
        void unlessChangedByClient(String receiptHandle, Runnable change);

        /** The batch's invocation has ended: its handles need not be remembered. */
        void settled(Collection<String> receiptHandles);
    }

    SqsEventSource(Pipeline.Stage stage, SqsClient sqs, String queueUrl, String region, LambdaFunction function,
            int visibilityTimeoutSeconds, ClientVisibility clientVisibility) {
        this.clientVisibility = clientVisibility;
        this.concurrency = new Semaphore(stage.maximumConcurrency());
        this.stage = stage;
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = "arn:aws:sqs:" + region + ":000000000000:" + stage.queueName();
        this.region = region;
        this.function = function;
        this.visibilityTimeoutSeconds = visibilityTimeoutSeconds;
    }

    @Override
    public void run() {
        while (running.get()) {
            boolean permit = false;
            LambdaFunction.Lease lease = null;
            try {
                concurrency.acquire();
                permit = true;
                lease = function.acquire();
                ReceiveMessageResponse received = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                        .maxNumberOfMessages(Math.min(10, stage.batchSize()))
                        .waitTimeSeconds(1)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .messageAttributeNames("All"));
                if (!received.messages().isEmpty()) {
                    LambdaFunction.Lease held = lease;
                    invocations.execute(() -> {
                        try {
                            deliver(received.messages(), held);
                        } finally {
                            held.close();
                            concurrency.release();
                        }
                    });
                    lease = null;
                    permit = false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.set(false);
            } catch (RuntimeException e) {
                if (running.get()) {
                    System.err.println("event source " + stage.queue() + ": " + e.getMessage());
                    Servers.sleep(1000);
                }
            } finally {
                if (lease != null) {
                    lease.close();
                }
                if (permit) {
                    concurrency.release();
                }
            }
        }
    }

    private void deliver(List<Message> messages, LambdaFunction.Lease lease) {
        // Locally the visibility timeout is short so that failures retry quickly; keep messages
        // hidden while the function still works on them, as a visibility timeout >= the function
        // timeout does in AWS.
        // A message whose visibility the function changed comes back when the function chose.
        ScheduledFuture<?> keepHidden = heartbeat.scheduleAtFixedRate(() -> messages.forEach(m ->
                clientVisibility.unlessChangedByClient(m.receiptHandle(), () -> {
                    try {
                        sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle())
                                .visibilityTimeout(visibilityTimeoutSeconds));
                    } catch (RuntimeException ignored) {
                        // the message may be gone already
                    }
                })), visibilityTimeoutSeconds / 2L, visibilityTimeoutSeconds / 2L, TimeUnit.SECONDS);
        Set<String> failed = new HashSet<>();
        try {
            String response = lease.invoke(event(messages), Duration.ofSeconds(stage.timeoutSeconds()));
            JsonNode failures = JSON.readTree(response == null || response.isBlank() ? "{}" : response).path("batchItemFailures");
            failures.forEach(f -> failed.add(f.path("itemIdentifier").asText()));
        } catch (RuntimeException | java.io.IOException e) {
            System.err.println("event source " + stage.queue() + ": whole batch failed: " + e.getMessage());
            messages.forEach(m -> failed.add(m.messageId()));
        } finally {
            keepHidden.cancel(false);
            // On the heartbeat's own thread, so a tick still running finishes before the handles are forgotten.
            List<String> handles = messages.stream().map(Message::receiptHandle).toList();
            try {
                heartbeat.execute(() -> clientVisibility.settled(handles));
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                clientVisibility.settled(handles);
            }
        }
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        for (Message m : messages) {
            if (!failed.contains(m.messageId())) {
                done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(done.size()))
                        .receiptHandle(m.receiptHandle()).build());
            }
        }
        if (!done.isEmpty()) {
            sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(done));
        }
    }

    /** The SQS event JSON that Lambda passes to the handler. */
    String event(List<Message> messages) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode records = root.putArray("Records");
        for (Message m : messages) {
            ObjectNode r = records.addObject();
            r.put("messageId", m.messageId());
            r.put("receiptHandle", m.receiptHandle());
            r.put("body", m.body());
            ObjectNode attrs = r.putObject("attributes");
            m.attributes().forEach((k, v) -> attrs.put(k.toString(), v));
            ObjectNode msgAttrs = r.putObject("messageAttributes");
            m.messageAttributes().forEach((k, v) -> msgAttrs.putObject(k)
                    .put("stringValue", v.stringValue()).put("dataType", v.dataType()));
            r.put("md5OfBody", m.md5OfBody());
            r.put("eventSource", "aws:sqs");
            r.put("eventSourceARN", queueArn);
            r.put("awsRegion", region);
        }
        return root.toString();
    }

    void stop() {
        running.set(false);
        heartbeat.shutdownNow();
        invocations.shutdownNow();
    }
}
