package dev.loam.repo;

import dev.loam.Bytes;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.id.StorageId;
import dev.loam.repo.internal.StorageSubsystem;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.spi.DocumentHook;
import dev.loam.sync.Sync;
import dev.loam.sync.SyncLimits;
import dev.loam.sync.SyncMessage;
import dev.loam.sync.SyncState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One document's conversations with its peers: a sync state and what we know of each peer's copy,
 * automerge-repo's {@code DocSynchronizer}. Not thread-safe: only its {@link DocHandle}'s task
 * queue calls it, holding the handle's memory lock for the methods that take the document (never
 * for {@link #join} and {@link #persistSyncStates}, which do I/O).
 *
 * <p>Implementation notes. A peer joins the document's conversation when we announce the document
 * to it (share policy) or when it sends us a message about it. Its status moves from unknown to
 * "wants" (it sent {@code request}), "has" (its sync message named heads) or "unavailable" (it
 * sent {@code doc-unavailable}). Sync states of peers that announced a storage id and are not
 * ephemeral are loaded from and saved to {@code [docId, "sync-state", storageId]}; only their
 * shared heads persist, so they are saved when those change.
 */
final class DocSynchronizer {
  enum PeerStatus { UNKNOWN, HAS, WANTS, UNAVAILABLE }

  private static final class PeerDoc {
    final SyncState state;
    final @Nullable StorageId storage;
    PeerStatus status = PeerStatus.UNKNOWN;
    List<ChangeHash> persistedShared;
    boolean toldUnavailable;
    SyncCounts counts = SyncCounts.NONE;

    PeerDoc(SyncState state, @Nullable StorageId storage) {
      this.state = state;
      this.storage = storage;
      this.persistedShared = state.sharedHeads();
    }
  }

  private final DocHandle owner;
  private final DocumentId id;
  private final PeerId self;
  private final @Nullable StorageSubsystem storage;
  private final Map<PeerId, PeerDoc> peers = new LinkedHashMap<>();

  private final SyncLimits limits;
  private final DocumentHook hook;
  private final Conversations conversations;

  /** The conversations of {@code owner}'s document; each peer that leaves is told to {@code conversations}. */
  DocSynchronizer(DocHandle owner, PeerId self, @Nullable StorageSubsystem storage, SyncLimits limits,
                  DocumentHook hook, Conversations conversations) {
    this.owner = owner;
    this.id = owner.documentId();
    this.conversations = conversations;
    this.self = self;
    this.storage = storage;
    this.limits = limits;
    this.hook = hook;
  }

  boolean has(PeerId peer) {
    return peers.containsKey(peer);
  }

  List<PeerId> peers() {
    return List.copyOf(peers.keySet());
  }

  /**
   * True if {@code peer} is in the conversation, taken in now (its persisted sync state loaded) if
   * need be: only while {@code from}, the connection its message or announcement came on, is still
   * its own ({@link Conversations#enrolIfCurrent}); a message from a connection that has ended has
   * nobody to answer. Reads storage: call without the owner's memory lock.
   */
  boolean join(PeerId peer, Repo.@Nullable PeerInfo from) {
    if (peers.containsKey(peer)) {
      return true;
    }
    if (!conversations.enrolIfCurrent(peer, from, owner)) {
      return false;
    }
    PeerMetadata metadata = from == null ? PeerMetadata.NONE : from.metadata();
    StorageId peerStorage = metadata.ephemeral() ? null : metadata.storageId().orElse(null);
    SyncState state = null;
    if (storage != null && peerStorage != null) {
      state = storage.loadSyncState(id, peerStorage).orElse(null);
    }
    peers.put(peer, new PeerDoc(state == null ? new SyncState() : state, peerStorage));
    return true;
  }

  /** The heads {@code peer} last told us it has, or empty if it has not sent a sync message about this document. */
  Optional<List<ChangeHash>> theirHeads(PeerId peer) {
    PeerDoc p = peers.get(peer);
    return p == null ? Optional.empty() : p.state.theirHeads();
  }

  /** What has passed between us and {@code peer} about this document since it joined the conversation. */
  SyncCounts counts(PeerId peer) {
    PeerDoc p = peers.get(peer);
    return p == null ? SyncCounts.NONE : p.counts;
  }

  void remove(PeerId peer) {
    if (peers.remove(peer) != null) {
      conversations.leave(peer, owner);
    }
  }

  /**
   * Takes in a {@code sync} or {@code request} from {@code peer} (already {@linkplain #join joined}),
   * its data passed through the {@link DocumentHook} first. Throws as the hook or
   * {@link Sync#receiveSyncMessage} does, leaving document and state unchanged.
   */
  void receive(Document doc, PeerId peer, Bytes wire, boolean request) {
    PeerDoc p = peers.get(peer);
    if (wire.size() > limits.maxMessageBytes()) {
      throw new dev.loam.sync.SyncLimitException(dev.loam.sync.SyncLimitException.Limit.MESSAGE_BYTES, wire.size(),
          limits.maxMessageBytes());
    }
    byte[] data = hook.fromPeer(id, peer, wire).toByteArray();
    SyncMessage message = SyncMessage.decode(data);
    Sync.receiveSyncMessage(doc, p.state, message, limits);
    p.counts = p.counts.received(message.changes().size());
    if (request) {
      p.status = PeerStatus.WANTS;
      p.toldUnavailable = false;
    }
    if (!message.heads().isEmpty()) {
      p.status = PeerStatus.HAS;
    }
  }

  void markUnavailable(PeerId peer) {
    PeerDoc p = peers.get(peer);
    if (p != null) {
      p.status = PeerStatus.UNAVAILABLE;
    }
  }

  /**
   * The next message for {@code peer}, or empty: a {@code request} while we have nothing, nobody
   * has the document and this peer has not said what it has; otherwise a {@code sync}.
   */
  Optional<RepoMessage.DocMessage> next(Document doc, PeerId peer, boolean ready) {
    PeerDoc p = peers.get(peer);
    if (p == null) {
      return Optional.empty();
    }
    Optional<SyncMessage> m = Sync.generateSyncMessage(doc, p.state);
    if (m.isEmpty()) {
      return Optional.empty();
    }
    Bytes data = hook.toPeer(id, peer, Bytes.wrap(m.get().encode()));
    p.counts = p.counts.sent(m.get().changes().size());
    boolean anyoneHas = peers.values().stream().anyMatch(q -> q.status == PeerStatus.HAS);
    boolean request = !ready && doc.heads().isEmpty() && p.state.sharedHeads().isEmpty() && !anyoneHas
        && p.status == PeerStatus.UNKNOWN;
    return Optional.of(request
        ? new RepoMessage.Request(self, peer, id, data)
        : new RepoMessage.Sync(self, peer, id, data));
  }

  /** Saves the sync states whose shared heads moved since they were loaded or last saved. */
  void persistSyncStates() {
    if (storage == null) {
      return;
    }
    for (PeerDoc p : peers.values()) {
      if (p.storage != null && !p.state.sharedHeads().equals(p.persistedShared)) {
        storage.saveSyncState(id, p.storage, p.state);
        p.persistedShared = p.state.sharedHeads();
      }
    }
  }

  /**
   * automerge-repo's {@code checkDocUnavailable}: when we have nothing and every peer in the
   * conversation either lacks the document or wants it, returns the wanting peers not yet told (and
   * marks them told); empty list otherwise. {@code verdict[0]} is set when the document is
   * unavailable to us.
   */
  List<PeerId> unavailableCheck(Document doc, boolean[] verdict) {
    verdict[0] = false;
    if (!doc.heads().isEmpty() || peers.isEmpty()) {
      return List.of();
    }
    for (PeerDoc p : peers.values()) {
      if (p.status != PeerStatus.UNAVAILABLE && p.status != PeerStatus.WANTS) {
        return List.of();
      }
    }
    verdict[0] = true;
    List<PeerId> tell = new ArrayList<>();
    for (Map.Entry<PeerId, PeerDoc> e : peers.entrySet()) {
      if (e.getValue().status == PeerStatus.WANTS && !e.getValue().toldUnavailable) {
        e.getValue().toldUnavailable = true;
        tell.add(e.getKey());
      }
    }
    return tell;
  }
}
