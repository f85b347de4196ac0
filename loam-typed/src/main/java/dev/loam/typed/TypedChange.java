package dev.loam.typed;

import dev.loam.Heads;
import dev.loam.Patch;
import dev.loam.repo.id.PeerId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A change to a typed document: its value after the change, the heads before and after, the
 * patches between them, and the peer that brought it (empty for a change this repo made).
 * Immutable when {@code T} is.
 *
 * @param <T> the document's class
 */
public record TypedChange<T>(T value, Heads before, Heads after, List<Patch> patches, Optional<PeerId> peer) {
  public TypedChange {
    Objects.requireNonNull(value);
    patches = List.copyOf(patches);
    Objects.requireNonNull(peer);
  }

  /** Whether this repo made the change (rather than a collaborator, through a peer). */
  public boolean local() {
    return peer.isEmpty();
  }
}
