package dev.loam.repo.spi;

import dev.loam.Bytes;

/**
 * A read-only view of a storage that other processes may be writing, for an online backup: a
 * {@link StorageAdapter} whose writes throw {@link UnsupportedOperationException}.
 *
 * <p>Consistency: each {@link #loadRange} over one document's chunks ({@code [docId]} or a longer
 * prefix) returns them as they were at one instant, so the document they load is the document at
 * one set of heads, never a torn mixture of two compactions. Implementations say whether different
 * calls see the same instant (the SQLite and PostgreSQL snapshots do; the filesystem one sees each
 * document at its own instant). Thread-safe; {@link #close} ends the snapshot.
 */
public interface StorageSnapshot extends StorageAdapter {
  /** Throws: a snapshot is read-only. */
  @Override
  default void save(StorageKey key, Bytes data) {
    throw new UnsupportedOperationException("a storage snapshot is read-only (save " + key + ")");
  }

  /** Throws: a snapshot is read-only. */
  @Override
  default void remove(StorageKey key) {
    throw new UnsupportedOperationException("a storage snapshot is read-only (remove " + key + ")");
  }

  /** Throws: a snapshot is read-only. */
  @Override
  default void removeRange(StorageKey prefix) {
    throw new UnsupportedOperationException("a storage snapshot is read-only (removeRange " + prefix + ")");
  }
}
