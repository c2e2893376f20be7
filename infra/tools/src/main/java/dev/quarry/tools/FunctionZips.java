package dev.quarry.tools;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

/** What a Lambda zip carries: the AWS build must carry none of the local build's in-process model. */
final class FunctionZips {
    /**
     * The jars of the in-process model as Quarkus names them in a zip's lib/ (groupId.artifactId-version.jar): the
     * ONNX runtime, DJL (its JNI tokenizer) and langchain4j's ONNX embeddings with the bge model.
     */
    private static final Pattern IN_PROCESS_MODEL = Pattern.compile(
            "(^|/)(com\\.microsoft\\.onnxruntime\\.|ai\\.djl\\.|dev\\.langchain4j\\.langchain4j-embeddings)[^/]*\\.jar$");

    private FunctionZips() {
    }

    /** The entries of the zip that belong to the in-process model; empty for a proper AWS build. */
    static List<String> inProcessModel(Path zip) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return z.stream().map(e -> e.getName()).filter(n -> IN_PROCESS_MODEL.matcher(n).find()).sorted().toList();
        }
    }
}
