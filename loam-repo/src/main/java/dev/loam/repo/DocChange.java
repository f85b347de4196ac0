package dev.loam.repo;

import dev.loam.Heads;
import dev.loam.Patch;
import dev.loam.repo.id.PeerId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A change to a handle's document: the heads before and after and the patches between them.
 * {@code peer} is the peer whose sync message brought it, or empty for a local change (one made
 * through {@link DocHandle#change}, or the document loaded from storage). Immutable.
 */
public record DocChange(DocHandle handle, Heads before, Heads after, List<Patch> patches, Optional<PeerId> peer) {
  public DocChange {
    patches = List.copyOf(patches);
    Objects.requireNonNull(peer);
  }

  /** Whether this repo made it rather than a peer. */
  public boolean local() {
    return peer.isEmpty();
  }
}
