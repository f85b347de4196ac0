package dev.loam.repo.storage;

import dev.loam.Bytes;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.spi.StorageKey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Keeps chunks in a map in memory: for tests and for repos that never persist. "Durable" means
 * until the object is garbage. Thread-safe: a read-write lock makes every call atomic.
 */
public final class InMemoryStorageAdapter implements StorageAdapter {
  private final Map<StorageKey, Bytes> chunks = new HashMap<>();
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  /** An empty store. */
  public InMemoryStorageAdapter() {}

  @Override
  public Optional<Bytes> load(StorageKey key) {
    lock.readLock().lock();
    try {
      return Optional.ofNullable(chunks.get(key));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void save(StorageKey key, Bytes data) {
    requireWholeKey(key);
    lock.writeLock().lock();
    try {
      chunks.put(key, data);
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void remove(StorageKey key) {
    lock.writeLock().lock();
    try {
      chunks.remove(key);
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public List<Chunk> loadRange(StorageKey prefix) {
    lock.readLock().lock();
    try {
      List<Chunk> out = new ArrayList<>();
      for (Map.Entry<StorageKey, Bytes> e : chunks.entrySet()) {
        if (e.getKey().startsWith(prefix)) {
          out.add(new Chunk(e.getKey(), e.getValue()));
        }
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void removeRange(StorageKey prefix) {
    lock.writeLock().lock();
    try {
      chunks.keySet().removeIf(k -> k.startsWith(prefix));
    } finally {
      lock.writeLock().unlock();
    }
  }

  static void requireWholeKey(StorageKey key) {
    if (key.isEmpty()) {
      throw new IllegalArgumentException("the empty key names a range, not a chunk");
    }
  }
}
