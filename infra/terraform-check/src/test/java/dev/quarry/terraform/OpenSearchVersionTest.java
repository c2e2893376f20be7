package dev.quarry.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * AWS runs the OpenSearch major version that every local test runs. Amazon OpenSearch Service offers
 * 3.1 and 3.3 and no 3.6; the local stack runs 3.6, the newest on Maven Central. The minor versions
 * differ; the major must not.
 */
class OpenSearchVersionTest {

    private static final TerraformModule MODULE = TerraformModule.load(Repository.MODULE);
    private static final Pattern ENGINE_VERSION = Pattern.compile("OpenSearch_(\\d+)\\.(\\d+)");

    @Test
    void the_domain_runs_the_major_version_the_tests_run() throws IOException {
        String local = pomProperty("opensearch.version");
        String aws = (String) MODULE.variables().get("opensearch_engine_version").value("default");

        Matcher matcher = ENGINE_VERSION.matcher(aws);
        assertThat(matcher.matches()).as("engine version default %s", aws).isTrue();
        assertThat(matcher.group(1)).as("major of the domain (%s) vs the local OpenSearch (%s)", aws, local)
                .isEqualTo(major(local));
    }

    @Test
    void the_variable_refuses_another_major_version() {
        String local = pomProperty("opensearch.version");
        TfBlock validation = MODULE.variables().get("opensearch_engine_version").block("validation");

        assertThat(validation.expression("condition"))
                .as("the validation pins the major version the tests run")
                .contains("^OpenSearch_" + major(local) + "\\\\.[0-9]+$");
    }

    @Test
    void the_knn_plugin_is_built_for_the_local_opensearch() {
        assertThat(pomProperty("opensearch-knn.version")).startsWith(pomProperty("opensearch.version") + ".");
    }

    /** The Lucene engine is the one both run: faiss crashes the local zip, nmslib is gone from 3.x. */
    @Test
    void the_chunk_vectors_use_the_lucene_engine() throws IOException {
        JsonNode definition = new ObjectMapper().readTree(Repository.ROOT.resolve("infra/opensearch/quarry-chunks.json").toFile());
        JsonNode embedding = definition.at("/mappings/properties/embedding");

        assertThat(embedding.path("type").asText()).isEqualTo("knn_vector");
        assertThat(embedding.at("/method/engine").asText()).isEqualTo("lucene");
        assertThat(embedding.at("/method/name").asText()).isEqualTo("hnsw");
    }

    static String major(String version) {
        return version.substring(0, version.indexOf('.'));
    }

    static String pomProperty(String name) {
        try {
            String pom = Files.readString(Repository.ROOT.resolve("pom.xml"));
            Matcher matcher = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">").matcher(pom);
            assertThat(matcher.find()).as("property %s in pom.xml", name).isTrue();
            return matcher.group(1).trim();
        } catch (IOException e) {
            throw new AssertionError("Failed to read pom.xml", e);
        }
    }
}
