package dev.loam.search;

import dev.loam.ActorId;
import dev.loam.Change;
import dev.loam.ChangeHash;

/**
 * A change named in a history hit: its hash, its time (seconds since the Unix epoch as stored;
 * 0 when the change has none) and its actor. Immutable.
 */
public record ChangeRef(ChangeHash hash, long time, ActorId actor) {
  static ChangeRef of(Change c) {
    return new ChangeRef(c.hash(), c.time(), c.actor());
  }
}
