package dev.loam.repo.id;

import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * The identity of one storage (one database or data folder): a UUID v4 string, generated once and
 * kept under the key {@code ["storage-adapter-id"]}. Peers announce it so that sync states can be
 * kept per storage rather than per connection. Immutable and thread-safe.
 */
public record StorageId(String value) {
  public StorageId {
    if (value.isEmpty()) {
      throw new IllegalArgumentException("a storage id is never empty");
    }
  }

  /** The storage id {@code value} (not empty). */
  public static StorageId of(String value) {
    return new StorageId(value);
  }

  /** A fresh random id: a UUID, as automerge-repo makes them. */
  public static StorageId random() {
    return new StorageId(UUID.randomUUID().toString());
  }

  /** A UUID v4 drawn from {@code random}, for repeatable tests. */
  public static StorageId random(RandomGenerator random) {
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new StorageId(new UUID(msb, lsb).toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
