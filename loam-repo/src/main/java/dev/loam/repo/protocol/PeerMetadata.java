package dev.loam.repo.protocol;

import dev.loam.repo.id.StorageId;

import java.util.Objects;
import java.util.Optional;

/**
 * What a peer tells about itself in {@code join} and {@code peer}: the id of its storage, if it
 * persists documents, and whether it is ephemeral (keeps nothing). On the wire both fields may be
 * absent; an absent {@code isEphemeral} reads as {@code false}, as automerge-repo reads it. Immutable.
 */
public record PeerMetadata(Optional<StorageId> storageId, boolean ephemeral) {
  /** A peer with no storage, as automerge-repo announces a storage-less repo. */
  public static final PeerMetadata EPHEMERAL = new PeerMetadata(Optional.empty(), true);

  /** A peer that announced nothing: no storage, not ephemeral. */
  public static final PeerMetadata NONE = new PeerMetadata(Optional.empty(), false);

  public PeerMetadata {
    Objects.requireNonNull(storageId);
  }

  /** A peer that persists documents in the storage {@code id}. */
  public static PeerMetadata persistent(StorageId id) {
    return new PeerMetadata(Optional.of(id), false);
  }
}
