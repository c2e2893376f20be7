package dev.quarry.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The source reader behind {@link ConfigMappingCoverageTest}, on small fixtures. */
class ConfigMappingsTest {

    @Test
    void method_names_become_kebab_case_properties_under_the_prefix() {
        String source = """
                package x;
                /** Chunking. */
                @ConfigMapping(prefix = "quarry.chunking")
                public interface ChunkingConfig {
                    /** Largest chunk. */
                    @WithDefault("350")
                    int maxTokens();

                    // not a property
                    default int half() { return maxTokens() / 2; }

                    static String help() { return "{"; }

                    int overlapTokens();
                }
                """;

        assertThat(ConfigMappings.properties(Map.of("ChunkingConfig.java", source)))
                .containsExactlyInAnyOrder("quarry.chunking.max-tokens", "quarry.chunking.overlap-tokens");
    }

    @Test
    void nested_interfaces_add_their_method_name_as_a_segment() {
        String source = """
                @ConfigMapping(prefix = "quarry")
                interface QuarryConfig {
                    String bucket();

                    OpenSearch opensearch();

                    Optional<Extract> extract();

                    interface OpenSearch {
                        URI endpoint();
                        @WithDefault("false") boolean sigv4();
                        @WithName("chunk-index") String chunks();
                    }

                    interface Extract {
                        Duration timeout();
                        long maxBytes();
                    }
                }
                """;

        assertThat(ConfigMappings.properties(Map.of("QuarryConfig.java", source))).containsExactlyInAnyOrder(
                "quarry.bucket",
                "quarry.opensearch.endpoint", "quarry.opensearch.sigv4", "quarry.opensearch.chunk-index",
                "quarry.extract.timeout", "quarry.extract.max-bytes");
    }

    @Test
    void groups_may_be_declared_in_other_files() {
        String root = """
                @io.smallrye.config.ConfigMapping(prefix = "quarry.search")
                public interface SearchConfig {
                    Fusion fusion();
                    @WithParentName Limits limits();
                }
                """;
        String fusion = "public interface Fusion { String method(); double weight(); }";
        String limits = "public interface Limits { int topK(); }";

        assertThat(ConfigMappings.properties(Map.of("a.java", root, "b.java", fusion, "c.java", limits)))
                .containsExactlyInAnyOrder("quarry.search.fusion.method", "quarry.search.fusion.weight", "quarry.search.top-k");
    }

    @Test
    void interfaces_without_config_mapping_declare_nothing() {
        assertThat(ConfigMappings.properties(Map.of("a.java", "interface ObjectStore { byte[] read(); }"))).isEmpty();
    }

    @Test
    void kebab_case_follows_quarkus() {
        assertThat(ConfigMappings.kebab("maxTokens")).isEqualTo("max-tokens");
        assertThat(ConfigMappings.kebab("pagesPerPart")).isEqualTo("pages-per-part");
        assertThat(ConfigMappings.kebab("sigv4")).isEqualTo("sigv4");
        assertThat(ConfigMappings.kebab("modelURL")).isEqualTo("model-url");
        assertThat(ConfigMappings.kebab("URLPath")).isEqualTo("url-path");
    }
}
