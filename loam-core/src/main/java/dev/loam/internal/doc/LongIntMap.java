package dev.loam.internal.doc;

/**
 * An open-addressing hash map from {@code long} to {@code int} without boxing: the index from
 * operation ids to operation rows.
 *
 * <p>Implementation notes: linear probing over a power-of-two table, load factor at most 1/2. Keys
 * must be non-negative (packed op ids are); a slot stores key + 1, so 0 marks an empty slot and a
 * fresh table needs no fill. The table is {@link Paged}, so a large one is not a humongous object.
 * No removal.
 */
final class LongIntMap {
  private Paged.Longs keys;
  private Paged.Ints values;
  private int capacity;
  private int size;

  LongIntMap(int expected) {
    allocate(Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1);
  }

  private void allocate(int cap) {
    capacity = cap;
    keys = new Paged.Longs();
    keys.ensure(cap);
    values = new Paged.Ints();
    values.ensure(cap);
  }

  /** Becomes an independent copy of {@code src}. */
  void copyFrom(LongIntMap src) {
    keys = new Paged.Longs();
    keys.copyFrom(src.keys);
    values = new Paged.Ints();
    values.copyFrom(src.values);
    capacity = src.capacity;
    size = src.size;
  }

  int size() {
    return size;
  }

  /** The value of {@code key}, or -1. */
  int get(long key) {
    long stored = key + 1;
    int mask = capacity - 1;
    int i = mix(key) & mask;
    while (true) {
      long k = keys.get(i);
      if (k == stored) {
        return values.get(i);
      }
      if (k == 0) {
        return -1;
      }
      i = (i + 1) & mask;
    }
  }

  /** Adds {@code key -> value} unless the key is present; returns the present value, or -1 if added. */
  int putIfAbsent(long key, int value) {
    return insert(key, value, false);
  }

  void put(long key, int value) {
    insert(key, value, true);
  }

  private int insert(long key, int value, boolean replace) {
    if (key < 0) {
      throw new IllegalArgumentException("negative key " + key);
    }
    if ((size + 1) * 2 > capacity) {
      grow();
    }
    long stored = key + 1;
    int mask = capacity - 1;
    int i = mix(key) & mask;
    while (true) {
      long k = keys.get(i);
      if (k == stored) {
        int old = values.get(i);
        if (replace) {
          values.set(i, value);
        }
        return old;
      }
      if (k == 0) {
        keys.set(i, stored);
        values.set(i, value);
        size++;
        return -1;
      }
      i = (i + 1) & mask;
    }
  }

  private void grow() {
    Paged.Longs oldKeys = keys;
    Paged.Ints oldValues = values;
    int oldCapacity = capacity;
    allocate(capacity * 2);
    size = 0;
    for (int i = 0; i < oldCapacity; i++) {
      long k = oldKeys.get(i);
      if (k != 0) {
        insert(k - 1, oldValues.get(i), true);
      }
    }
  }

  private static int mix(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
