package dev.quarry.functions.query.fakes;

import dev.quarry.core.port.ChunkIndex;
import dev.quarry.testsupport.ChunkIndexContract;

/** The handler tests' index keeps the contract of the fake it wraps. */
class RecordingChunkIndexTest extends ChunkIndexContract {
    private final RecordingChunkIndex index = new RecordingChunkIndex();

    @Override
    protected ChunkIndex index() {
        return index;
    }
}
