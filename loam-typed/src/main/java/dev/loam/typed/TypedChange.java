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
 * @param value the document's value after the change, read as of {@code after}
 * @param before the document's heads before the change
 * @param after the document's heads after it
 * @param patches what changed between {@code before} and {@code after}, as {@link dev.loam.repo.DocChange} has them
 * @param peer the peer whose sync message brought the change, or empty for a change this repo made
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
