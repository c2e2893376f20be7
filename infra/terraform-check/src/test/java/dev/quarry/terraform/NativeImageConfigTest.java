package dev.quarry.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the native functions need beyond CDI's view, checked from the sources because GraalVM cannot run here: the
 * resources they read from the classpath and the JSON types no resource method signature names.
 */
class NativeImageConfigTest {
    private static final List<String> FUNCTIONS = List.of("extract", "chunk", "embed", "index", "query");

    @Test
    void every_function_includes_the_resources_its_clients_read() throws IOException {
        for (String function : FUNCTIONS) {
            assertThat(includes(function)).as("native resources of %s", function)
                    .contains("org/opensearch/client/version.properties");
        }
    }

    @Test
    void the_chunk_function_includes_the_vocabulary_its_token_counter_reads() throws IOException {
        String counter = Files.readString(Repository.ROOT.resolve("shared/ai/src/main/java/dev/quarry/ai/BertTokenCounter.java"));
        Matcher vocabulary = Pattern.compile("VOCABULARY = \"/([^\"]+)\"").matcher(counter);
        assertThat(vocabulary.find()).as("BertTokenCounter.VOCABULARY").isTrue();

        assertThat(includes("chunk")).contains(vocabulary.group(1));
        assertThat(Repository.ROOT.resolve("shared/ai/src/main/resources").resolve(vocabulary.group(1))).isRegularFile();
    }

    @Test
    void every_query_dto_is_registered_for_reflection() throws IOException {
        // Resources return some of them inside a Response (201 with a body, errors), where Quarkus cannot see the type.
        Path api = Repository.ROOT.resolve("functions/query/src/main/java/dev/quarry/functions/query/api");
        Set<String> dtos = new TreeSet<>();
        Matcher record = Pattern.compile("public record (\\w+)\\(").matcher(Files.readString(api.resolve("Dtos.java")));
        while (record.find()) {
            dtos.add("dev.quarry.functions.query.api.Dtos$" + record.group(1));
        }
        dtos.add("dev.quarry.functions.query.api.ApiError");
        dtos.add("dev.quarry.functions.query.service.Health$Report"); // the health body, inside a Response (200 or 503)

        assertThat(dtos).hasSizeGreaterThan(5);
        assertThat(reflection("query")).containsAll(dtos);
    }

    @Test
    void every_reflection_file_is_valid_and_names_the_json_provider_opensearch_java_loads() throws IOException {
        for (String function : FUNCTIONS) {
            assertThat(reflection(function)).as("reflection of %s", function).contains("org.eclipse.parsson.JsonProviderImpl");
        }
    }

    private static Set<String> reflection(String function) throws IOException {
        Path file = Repository.ROOT.resolve("functions").resolve(function)
                .resolve("src/main/resources/META-INF/native-image/dev.quarry/quarry-function-" + function + "/reflect-config.json");
        Set<String> names = new TreeSet<>();
        for (JsonNode entry : new ObjectMapper().readTree(file.toFile())) {
            names.add(entry.path("name").asText());
        }
        return names;
    }

    private static List<String> includes(String function) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(
                Repository.ROOT.resolve("functions").resolve(function).resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        List<String> includes = new ArrayList<>();
        for (String glob : properties.getProperty("quarkus.native.resources.includes", "").split(",")) {
            if (!glob.isBlank()) {
                includes.add(glob.trim());
            }
        }
        return includes;
    }
}
