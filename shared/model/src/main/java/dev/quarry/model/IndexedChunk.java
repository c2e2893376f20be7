package dev.quarry.model;

/** A chunk with its embedding, ready to be written to the index. */
public record IndexedChunk(Chunk chunk, float[] vector) {
}
