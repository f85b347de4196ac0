package dev.loam.repo.spi;

import dev.loam.Bytes;

/** One stored value and its key, as {@link StorageAdapter#loadRange} returns them. Immutable. */
public record Chunk(StorageKey key, Bytes data) {}
