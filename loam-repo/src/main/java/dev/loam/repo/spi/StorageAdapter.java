package dev.loam.repo.spi;

import dev.loam.Bytes;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Stores byte chunks under {@link StorageKey}s: automerge-repo's storage model, made blocking
 * (call it from a virtual thread). The repo layer above keeps each document as a few snapshot
 * and incremental chunks and needs nothing else from an adapter.
 *
 * <p>Contract (checked by {@code dev.loam.testkit.StorageAdapterContract}):
 * <ul>
 *   <li><b>Durable on return.</b> When {@link #save} or {@link #remove} returns normally, the
 *       change survives the process dying; when it throws, the key holds either its old or its
 *       new value, never a torn mixture.
 *   <li><b>Overwrite.</b> Saving an existing key replaces its value.
 *   <li><b>Ranges by whole components.</b> {@link #loadRange} and {@link #removeRange} act on
 *       every key that {@linkplain StorageKey#startsWith starts with} the prefix, including a key
 *       equal to it. Order is unspecified.
 *   <li><b>Binary-safe values</b>, including the empty value. Keys are any non-empty Unicode
 *       strings, except where an implementation documents a narrower set (the filesystem
 *       adapter's on-disk layout limits the first component).
 *   <li><b>Thread-safe.</b> Every method may be called from many threads at once; each single
 *       call is atomic with respect to the others.
 * </ul>
 * Implementations throw {@link StorageException} for I/O failures.
 */
public interface StorageAdapter extends AutoCloseable {
  /** The value under {@code key}, or empty if there is none. */
  Optional<Bytes> load(StorageKey key);

  /** Stores {@code data} under {@code key} (not the empty key), replacing any previous value. */
  void save(StorageKey key, Bytes data);

  /** Removes {@code key}; does nothing if it is absent. */
  void remove(StorageKey key);

  /** Every chunk whose key starts with {@code prefix}. */
  List<Chunk> loadRange(StorageKey prefix);

  /** Removes every chunk whose key starts with {@code prefix}. */
  void removeRange(StorageKey prefix);

  /**
   * Runs {@code body} on this adapter so that the writes it makes take effect all together or not
   * at all, where the adapter can promise that: then, if {@code body} throws (or the final commit
   * fails, for example on a full disk), none of its writes remain and the failure is rethrown, and
   * this returns {@code true} once they are all durable. Reads inside {@code body} see its own
   * writes. Adapters that cannot (the default) run {@code body} directly, each write durable on its
   * own, and return {@code false}; a caller that needs all-or-nothing then undoes its writes
   * itself. Other callers' writes may wait until {@code body} returns. Blocks on storage and
   * {@code body}.
   */
  default boolean atomically(Consumer<? super StorageAdapter> body) {
    body.accept(this);
    return false;
  }

  /**
   * Stores {@code data} under {@code key} only if the key holds nothing; returns whether it
   * stored. Adapters that several processes share (PostgreSQL) do it atomically, so two
   * processes claiming one key never both succeed. The default loads, then saves: atomic only
   * for callers that serialise their claims of a key within one process.
   */
  default boolean saveIfAbsent(StorageKey key, Bytes data) {
    if (load(key).isPresent()) {
      return false;
    }
    save(key, data);
    return true;
  }

  /** Releases files and connections; the adapter is unusable afterwards. The default does nothing. */
  @Override
  default void close() {}
}
