package dev.loam.sync;

import dev.loam.ChangeHash;
import java.util.List;

/**
 * What a sync message's sender already has: the heads of its last sync with the recipient, and a
 * Bloom filter over every change it has added since.
 *
 * @param lastSync the heads both sides had at the last sync, sorted
 * @param bloom the changes the sender has that are not ancestors of {@code lastSync}
 */
public record Have(List<ChangeHash> lastSync, BloomFilter bloom) {
  /** The "have" of a reset message: no last sync, empty filter. */
  public static final Have EMPTY = new Have(List.of(), BloomFilter.EMPTY);

  public Have {
    lastSync = List.copyOf(lastSync);
  }
}
