package dev.loam.repo.protocol;

import dev.loam.repo.id.StorageId;
import org.jspecify.annotations.Nullable;

import java.util.Optional;

/**
 * What a peer tells about itself in {@code join} and {@code peer}: the id of its storage, if it
 * persists documents, and whether it is ephemeral (keeps nothing). Immutable.
 */
public record PeerMetadata(@Nullable StorageId storageId, @Nullable Boolean isEphemeral) {
  /** A peer with no storage, as automerge-repo announces a storage-less repo. */
  public static final PeerMetadata EPHEMERAL = new PeerMetadata(null, true);

  /** A peer that persists documents in the storage {@code id}. */
  public static PeerMetadata persistent(StorageId id) {
    return new PeerMetadata(id, false);
  }

  public Optional<StorageId> storage() {
    return Optional.ofNullable(storageId);
  }

  public boolean ephemeral() {
    return Boolean.TRUE.equals(isEphemeral);
  }
}
