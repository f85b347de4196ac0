package dev.loam.backup;

import dev.loam.Bytes;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.spi.StorageKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A storage adapter that remembers, for every key it writes or removes, the value the key held
 * before its first change, so that {@link #rollback} can put the target back as it was. Used by
 * one restore at a time; does not close the adapter it wraps.
 */
final class JournaledStorage implements StorageAdapter {
  private final StorageAdapter inner;
  private final Map<StorageKey, Optional<Bytes>> before = new LinkedHashMap<>();

  JournaledStorage(StorageAdapter inner) {
    this.inner = inner;
  }

  @Override
  public Optional<Bytes> load(StorageKey key) {
    return inner.load(key);
  }

  @Override
  public void save(StorageKey key, Bytes data) {
    remember(key);
    inner.save(key, data);
  }

  @Override
  public void remove(StorageKey key) {
    remember(key);
    inner.remove(key);
  }

  @Override
  public List<Chunk> loadRange(StorageKey prefix) {
    return inner.loadRange(prefix);
  }

  @Override
  public void removeRange(StorageKey prefix) {
    for (Chunk c : inner.loadRange(prefix)) {
      before.putIfAbsent(c.key(), Optional.of(c.data()));
    }
    inner.removeRange(prefix);
  }

  /** How many keys were changed. */
  int changed() {
    return before.size();
  }

  /**
   * Puts every changed key back to its value before the first change, latest first. Tries every
   * key; throws the first failure with the others suppressed.
   */
  void rollback() {
    List<RuntimeException> failures = new ArrayList<>();
    List<Map.Entry<StorageKey, Optional<Bytes>>> all = new ArrayList<>(before.entrySet());
    for (int i = all.size() - 1; i >= 0; i--) {
      Map.Entry<StorageKey, Optional<Bytes>> e = all.get(i);
      try {
        if (e.getValue().isPresent()) {
          inner.save(e.getKey(), e.getValue().get());
        } else {
          inner.remove(e.getKey());
        }
      } catch (RuntimeException ex) {
        failures.add(ex);
      }
    }
    if (!failures.isEmpty()) {
      RuntimeException first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
    before.clear();
  }

  private void remember(StorageKey key) {
    if (!before.containsKey(key)) {
      before.put(key, inner.load(key));
    }
  }
}
