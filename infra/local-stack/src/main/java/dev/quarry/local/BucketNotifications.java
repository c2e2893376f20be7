package dev.quarry.local;

import java.util.ArrayList;
import java.util.List;

/**
 * The bucket's notification configuration: one queue configuration per trigger of every stage in
 * infra/pipeline.json, built as terraform/modules/quarry/main.tf builds {@code local.triggers} for
 * {@code aws_s3_bucket_notification.pipeline} (id {@code <function>-<position>}, the stage's queue, its
 * events, prefix and suffix), and matched by S3's filter rules.
 */
final class BucketNotifications {

    /** One {@code queue} block of the notification configuration. */
    record QueueConfiguration(String id, String queue, List<String> events, String prefix, String suffix) {

        /** S3's filter rules: prefix and suffix are case-sensitive; no suffix filters nothing; {@code s3:ObjectCreated:*} is a wildcard. */
        boolean matches(String key, String eventName) {
            if (!key.startsWith(prefix) || (suffix != null && !key.endsWith(suffix))) {
                return false;
            }
            String event = "s3:" + eventName;
            return events.stream().anyMatch(e -> e.endsWith(":*") ? event.startsWith(e.substring(0, e.length() - 1)) : e.equals(event));
        }
    }

    private final List<QueueConfiguration> queues;

    BucketNotifications(List<QueueConfiguration> queues) {
        this.queues = List.copyOf(queues);
    }

    static BucketNotifications of(Pipeline pipeline) {
        List<QueueConfiguration> queues = new ArrayList<>();
        for (Pipeline.Stage stage : pipeline.stages()) {
            for (int position = 0; position < stage.triggers().size(); position++) {
                Pipeline.Trigger t = stage.triggers().get(position);
                // As the Terraform: "" means no suffix filter (S3 suffix filters are case-sensitive).
                String suffix = t.suffix() == null || t.suffix().isEmpty() ? null : t.suffix();
                queues.add(new QueueConfiguration(stage.function() + "-" + position, stage.queue(), t.events(), t.prefix(), suffix));
            }
        }
        return new BucketNotifications(queues);
    }

    List<QueueConfiguration> queues() {
        return queues;
    }

    /** The queues (by pipeline queue name) that S3 notifies of this event on this key, each once. */
    List<String> destinations(String key, String eventName) {
        return queues.stream().filter(q -> q.matches(key, eventName)).map(QueueConfiguration::queue).distinct().toList();
    }
}
