package dev.loam.internal.codec;

import java.util.Arrays;

/**
 * Maps an op id (counter, actor index) to an int, with open addressing over primitive arrays.
 *
 * <p>Implementation notes: the key packs the counter (at most 2^32-1, never 0) into the high 32
 * bits and the actor index into the low 32, so 0 marks an empty slot. Linear probing over a
 * power-of-two table kept at most half full: O(1) expected per operation, no boxing.
 */
final class OpIdIndex {
  private long[] keys;
  private int[] values;
  private int size;
  private int mask;

  OpIdIndex(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    keys = new long[cap];
    values = new int[cap];
    mask = cap - 1;
  }

  static long key(long counter, int actor) {
    return (counter << 32) | (actor & 0xffff_ffffL);
  }

  private static int slot(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 29)) & mask;
  }

  /** The value for the id, or -1. */
  int get(long counter, int actor) {
    long k = key(counter, actor);
    int i = slot(k, mask);
    while (true) {
      long at = keys[i];
      if (at == k) {
        return values[i];
      }
      if (at == 0) {
        return -1;
      }
      i = (i + 1) & mask;
    }
  }

  /** Adds the id; returns false (changing nothing) if it was already present. */
  boolean putIfAbsent(long counter, int actor, int value) {
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    long k = key(counter, actor);
    int i = slot(k, mask);
    while (keys[i] != 0) {
      if (keys[i] == k) {
        return false;
      }
      i = (i + 1) & mask;
    }
    keys[i] = k;
    values[i] = value;
    size++;
    return true;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new int[oldKeys.length * 2];
    mask = keys.length - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      long k = oldKeys[j];
      if (k != 0) {
        int i = slot(k, mask);
        while (keys[i] != 0) {
          i = (i + 1) & mask;
        }
        keys[i] = k;
        values[i] = oldValues[j];
      }
    }
    Arrays.fill(oldKeys, 0);
  }
}
