package dev.quarry.local;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** infra/pipeline.json: the same wiring Terraform deploys. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Pipeline(List<Stage> stages) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Stage(String function, String queue, List<Trigger> triggers, int batchSize, int timeoutSeconds,
            int memoryMb, int visibilityTimeoutSeconds, int maxReceiveCount, int maximumConcurrency) {

        public String queueName() {
            return "quarry-" + queue;
        }

        public String dlqName() {
            return "quarry-" + queue + "-dlq";
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Trigger(String prefix, String suffix, List<String> events) {
    }

    public static Pipeline load(Path projectRoot) {
        try {
            return new ObjectMapper().readValue(projectRoot.resolve("infra/pipeline.json").toFile(), Pipeline.class);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read infra/pipeline.json: " + e.getMessage(), e);
        }
    }
}
