package dev.loam.repo;

import dev.loam.repo.id.PeerId;
import dev.loam.Heads;
import dev.loam.Patch;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A change to a handle's document: the heads before and after and the patches between them.
 * {@code peer} is the peer whose sync message brought it, or null for a local change. Immutable.
 */
public record DocChange(DocHandle handle, Heads before, Heads after, List<Patch> patches, @Nullable PeerId peer) {
  public DocChange {
    patches = List.copyOf(patches);
  }

  /** Whether this handle's own {@link DocHandle#change} made it. */
  public boolean local() {
    return peer == null;
  }
}
