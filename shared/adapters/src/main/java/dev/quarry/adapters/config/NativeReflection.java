package dev.quarry.adapters.config;

import dev.quarry.core.pipeline.WorkFiles;
import dev.quarry.core.port.QueryHistory;
import dev.quarry.model.Chunk;
import dev.quarry.model.ChunkSpan;
import dev.quarry.model.Citation;
import dev.quarry.model.DocumentContext;
import dev.quarry.model.DocumentRecord;
import dev.quarry.model.DocumentStatus;
import dev.quarry.model.ErrorCode;
import dev.quarry.model.PageText;
import dev.quarry.model.SearchHit;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The records Jackson reads and writes (work files, status records, chunks, query history entries): registered so the
 * GraalVM native functions can (de)serialize them without runtime reflection configuration.
 */
@RegisterForReflection(targets = {
        WorkFiles.PartRef.class, WorkFiles.RangeTask.class, WorkFiles.ExtractedPart.class, WorkFiles.ChunkedPart.class,
        WorkFiles.ChunkVector.class, WorkFiles.EmbeddedPart.class,
        Chunk.class, ChunkSpan.class, PageText.class, DocumentRecord.class, DocumentStatus.class, ErrorCode.class,
        Citation.class, SearchHit.class, DocumentContext.class,
        QueryHistory.Entry.class, QueryHistory.Citation.class})
public final class NativeReflection {
    private NativeReflection() {
    }
}
