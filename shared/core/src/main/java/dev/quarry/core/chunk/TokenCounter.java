package dev.quarry.core.chunk;

/** Counts tokens the way the embedding model will (without the [CLS]/[SEP] specials). */
@FunctionalInterface
public interface TokenCounter {
    int count(String text);
}
