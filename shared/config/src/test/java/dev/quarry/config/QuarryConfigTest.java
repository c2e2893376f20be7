package dev.quarry.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The mapping as SmallRye Config reads it at start-up: typed choices, defaults, and the cross-setting checks. */
class QuarryConfigTest {

    private static QuarryConfig read(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(Map.of("quarry.bucket", "b", "quarry.opensearch.endpoint", "http://127.0.0.1:9200"));
        all.putAll(values);
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(QuarryConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new io.smallrye.config.PropertiesConfigSource(all, "test", 100)).build();
        return config.getConfigMapping(QuarryConfig.class);
    }

    @Test
    void the_defaults_are_the_local_setup_and_hold_together() {
        QuarryConfig c = read(Map.of());
        assertThat(c.embedding().provider()).isEqualTo(EmbeddingProvider.ONNX);
        assertThat(c.answer().provider()).isEqualTo(AnswerProvider.EXTRACTIVE);
        assertThat(c.search().fusion()).isEqualTo(Fusion.RRF);
        assertThat(c.search().rerank()).isEqualTo(Rerank.NONE);
        assertThat(ConfigCheck.problems(c)).isEmpty();
    }

    @Test
    void choices_are_read_in_the_case_terraform_writes_them() {
        QuarryConfig c = read(Map.of("quarry.embedding.provider", "bedrock", "quarry.embedding.dimension", "1024",
                "quarry.answer.provider", "openai", "quarry.answer.endpoint", "http://127.0.0.1:1234/v1",
                "quarry.search.fusion", "RRF", "quarry.search.rerank", "bedrock"));
        assertThat(c.embedding().provider()).isEqualTo(EmbeddingProvider.BEDROCK);
        assertThat(c.answer().provider()).isEqualTo(AnswerProvider.OPENAI);
        assertThat(c.search().fusion()).isEqualTo(Fusion.RRF);
        assertThat(c.search().rerank()).isEqualTo(Rerank.BEDROCK);
        assertThat(ConfigCheck.problems(c)).isEmpty();
        assertThat(read(Map.of("quarry.search.fusion", "weighted")).search().fusion()).isEqualTo(Fusion.WEIGHTED);
    }

    @Test
    void an_unknown_choice_fails_when_the_configuration_is_read_and_names_the_property() {
        assertThatThrownBy(() -> read(Map.of("quarry.answer.provider", "gpt")))
                .hasMessageContaining("quarry.answer.provider").hasMessageContaining("gpt");
        assertThatThrownBy(() -> read(Map.of("quarry.search.rerank", "cohere")))
                .hasMessageContaining("quarry.search.rerank");
        assertThatThrownBy(() -> read(Map.of("quarry.embedding.provider", "titan")))
                .hasMessageContaining("quarry.embedding.provider");
    }

    @Test
    void settings_that_do_not_hold_together_are_each_named() {
        QuarryConfig c = read(Map.of("quarry.answer.provider", "openai", "quarry.embedding.provider", "bedrock",
                "quarry.embedding.dimension", "384", "quarry.chunking.overlap-tokens", "400", "quarry.search.knn-weight", "-1",
                "quarry.opensearch.endpoint", "localhost:9200"));
        assertThat(ConfigCheck.problems(c)).containsExactlyInAnyOrder(
                "quarry.opensearch.endpoint must be an http or https URL with a host, not 'localhost:9200'",
                "quarry.chunking.overlap-tokens (400) must be smaller than quarry.chunking.max-tokens (320)",
                "quarry.embedding.dimension must be 256, 512 or 1024 for provider bedrock (Titan Text Embeddings v2), not 384",
                "quarry.answer.endpoint must be set for provider openai (the base URL of an OpenAI-compatible endpoint)",
                "quarry.search.knn-weight must not be negative, not -1.0");
        assertThatThrownBy(() -> ConfigCheck.require(c)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("5 problem(s)").hasMessageContaining("quarry.answer.endpoint must be set");
    }

    @Test
    void the_backoff_between_deliveries_defaults_to_seconds_capped_at_minutes_and_is_checked() {
        QuarryConfig defaults = read(Map.of());
        assertThat(defaults.queue().redeliveryBaseDelay()).isEqualTo(Duration.ofMinutes(20));
        assertThat(defaults.queue().redeliveryMaxDelay()).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.queue().endpoint()).isEmpty();

        QuarryConfig c = read(Map.of("quarry.queue.redelivery-base-delay", "10m", "quarry.queue.redelivery-max-delay", "13h",
                "quarry.queue.endpoint", "sqs.local:9324"));
        assertThat(ConfigCheck.problems(c)).containsExactlyInAnyOrder(
                "quarry.queue.redelivery-max-delay must be at most 12 hours (SQS's longest visibility timeout), not PT13H",
                "quarry.queue.endpoint must be an http or https URL with a host, not 'sqs.local:9324'");
        assertThat(ConfigCheck.problems(read(Map.of("quarry.queue.redelivery-base-delay", "2m",
                "quarry.queue.redelivery-max-delay", "1m")))).containsExactly(
                "quarry.queue.redelivery-base-delay (PT2M) must not exceed quarry.queue.redelivery-max-delay (PT1M)");
        assertThat(ConfigCheck.problems(read(Map.of("quarry.queue.redelivery-base-delay", "-1s"))))
                .contains("quarry.queue.redelivery-base-delay and quarry.queue.redelivery-max-delay must not be negative");
    }

    @Test
    void the_local_model_fixes_its_dimension_and_window() {
        QuarryConfig c = read(Map.of("quarry.embedding.dimension", "1024", "quarry.chunking.max-tokens", "600"));
        assertThat(ConfigCheck.problems(c)).containsExactlyInAnyOrder(
                "quarry.embedding.dimension must be 384 for provider onnx (bge-small-en-v1.5), not 1024",
                "quarry.chunking.max-tokens must be at most 510 for provider onnx (the model reads 512 tokens, two of them special), not 600");
    }
}
