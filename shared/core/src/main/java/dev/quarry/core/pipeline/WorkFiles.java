package dev.quarry.core.pipeline;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.quarry.core.port.ObjectStore;
import dev.quarry.core.port.PermanentException;
import dev.quarry.model.ErrorCode;
import dev.quarry.model.Chunk;
import dev.quarry.model.DocumentContext;
import dev.quarry.model.PageText;

import java.io.IOException;
import java.util.List;

/** The JSON files one stage writes for the next; each is self-describing and replayable. */
public final class WorkFiles {
    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private WorkFiles() {
    }

    /** Identifies one part of one version of one document. */
    public record PartRef(String tenant, String documentId, String name, String sourceKey, String version, int part,
            int parts) {
    }

    /** {@code context} is null in tasks written before documents had one. */
    public record RangeTask(PartRef ref, int fromPage, int toPage, int pageCount, DocumentContext context) {
        public RangeTask(PartRef ref, int fromPage, int toPage, int pageCount) {
            this(ref, fromPage, toPage, pageCount, null);
        }
    }

    /** {@code context} is null in parts written before documents had one. */
    public record ExtractedPart(PartRef ref, List<PageText> pages, List<String> warnings, DocumentContext context) {
        public ExtractedPart(PartRef ref, List<PageText> pages, List<String> warnings) {
            this(ref, pages, warnings, null);
        }
    }

    public record ChunkedPart(PartRef ref, List<Chunk> chunks) {
    }

    public record ChunkVector(String chunkId, float[] vector) {
    }

    /** {@code embeddingTokens}: what the embedding model read for this part (0 in files written before it was kept). */
    public record EmbeddedPart(PartRef ref, String model, int dimension, List<ChunkVector> vectors, long embeddingTokens) {
        public EmbeddedPart(PartRef ref, String model, int dimension, List<ChunkVector> vectors) {
            this(ref, model, dimension, vectors, 0);
        }
    }

    public static void write(ObjectStore store, String key, Object value) {
        try {
            store.put(key, JSON.writeValueAsBytes(value), "application/json");
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    public static <T> T read(ObjectStore store, String key, Class<T> type) {
        byte[] bytes = store.get(key);
        try {
            return JSON.readValue(bytes, type);
        } catch (IOException e) {
            throw new PermanentException(ErrorCode.INTERNAL, "The work file " + key + " is corrupt (not a valid "
                    + type.getSimpleName() + "), so this version cannot go on. Upload the PDF again.", e);
        }
    }

    public static ObjectMapper json() {
        return JSON;
    }
}
