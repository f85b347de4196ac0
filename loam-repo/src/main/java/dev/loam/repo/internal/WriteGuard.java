package dev.loam.repo.internal;

import dev.loam.Bytes;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.spi.StorageKey;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * {@link StorageSubsystem}'s view of its adapter: passes every call on, holding the shared side of
 * {@code writes} around each write ({@link StorageSubsystem#snapshot} takes the exclusive side).
 */
record WriteGuard(StorageAdapter inner, ReentrantReadWriteLock writes) implements StorageAdapter {
  @Override
  public Optional<Bytes> load(StorageKey key) {
    return inner.load(key);
  }

  @Override
  public List<Chunk> loadRange(StorageKey prefix) {
    return inner.loadRange(prefix);
  }

  @Override
  public void save(StorageKey key, Bytes data) {
    guarded(() -> inner.save(key, data));
  }

  @Override
  public void remove(StorageKey key) {
    guarded(() -> inner.remove(key));
  }

  @Override
  public void removeRange(StorageKey prefix) {
    guarded(() -> inner.removeRange(prefix));
  }

  /** The whole body under the shared side, as one write. */
  @Override
  public boolean atomically(Consumer<? super StorageAdapter> body) {
    boolean[] atomic = new boolean[1];
    guarded(() -> atomic[0] = inner.atomically(body));
    return atomic[0];
  }

  @Override
  public void close() {
    inner.close();
  }

  private void guarded(Runnable write) {
    writes.readLock().lock();
    try {
      write.run();
    } finally {
      writes.readLock().unlock();
    }
  }
}
