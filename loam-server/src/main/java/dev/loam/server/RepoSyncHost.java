package dev.loam.server;

import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.id.StorageId;
import dev.loam.repo.Repo;
import dev.loam.repo.SharePolicy;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.spi.NetworkAdapter;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.sync.SyncLimits;

import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's documents as a {@link Repo}: the server's storage, its
 * {@link WebSocketServerAdapter} as the repo's only network adapter, and share policy
 * {@link SharePolicy#NEVER} (answer, never announce), as automerge-repo's sync server. The repo
 * stores a change before it sends any sync message whose heads include it, which is the server's
 * durability rule.
 *
 * <p>{@code loam.sync.latency} is measured between the adapter and the repo: from a {@code sync}
 * or {@code request} arriving from a peer to the next message about that document being handed to
 * that peer's socket (storage write included).
 *
 * <p>Thread-safe: the repo runs each document's work on its own serial queue.
 */
final class RepoSyncHost implements SyncHost {
  private final Repo repo;

  RepoSyncHost(StorageAdapter storage, PeerId self, InstantSource clock, NetworkAdapter network, ServerMetrics metrics,
               SyncLimits syncLimits) {
    this(storage, self, clock, network, metrics, syncLimits, (id, heads) -> { });
  }

  /** As the other constructor, telling {@code saved} each time storage comes to hold a document's changes (a cluster's notifications). */
  RepoSyncHost(StorageAdapter storage, PeerId self, InstantSource clock, NetworkAdapter network, ServerMetrics metrics,
               SyncLimits syncLimits, java.util.function.BiConsumer<DocumentId, dev.loam.Heads> saved) {
    this.repo = Repo.builder()
        .onSaved(saved)
        .peerId(self)
        .clock(clock)
        .storage(storage)
        .network(new Metered(network, metrics))
        .sharePolicy(SharePolicy.NEVER)
        .syncLimits(syncLimits)
        .build();
  }


  /** Reads what other servers stored of {@code id} and syncs it to its peers, if it is open here (see {@link Repo#absorbStored}). */
  void absorbStored(DocumentId id, dev.loam.Heads heads) {
    repo.absorbStored(id, heads);
  }

  /** Does {@link #absorbStored} for every document open here. */
  void absorbAllStored() {
    for (DocumentId id : repo.documentIds()) {
      repo.absorbStored(id, dev.loam.Heads.EMPTY);
    }
  }

  @Override
  public int documentCount() {
    return repo.documentIds().size();
  }

  @Override
  public StorageId storageId() {
    return repo.storageId().orElseThrow(); // built with a storage adapter, so it has one
  }

  @Override
  public void close() {
    repo.close();
  }

  /** Passes everything through to {@code inner}, timing each answer to a sync message. */
  private record Metered(NetworkAdapter inner, ServerMetrics metrics,
                         ConcurrentHashMap<Conversation, Long> pending) implements NetworkAdapter {
    private record Conversation(PeerId peer, DocumentId document) {}

    Metered(NetworkAdapter inner, ServerMetrics metrics) {
      this(inner, metrics, new ConcurrentHashMap<>());
    }

    @Override
    public void connect(PeerId self, PeerMetadata metadata, Listener listener) {
      inner.connect(self, metadata, new Listener() {
        @Override
        public void peerCandidate(PeerId peer, PeerMetadata peerMetadata) {
          listener.peerCandidate(peer, peerMetadata);
        }

        @Override
        public void peerDisconnected(PeerId peer) {
          pending.keySet().removeIf(c -> c.peer().equals(peer));
          listener.peerDisconnected(peer);
        }

        @Override
        public void message(RepoMessage message) {
          switch (message) {
            case RepoMessage.Sync m -> pending.put(new Conversation(m.senderId(), m.documentId()), System.nanoTime());
            case RepoMessage.Request m -> pending.put(new Conversation(m.senderId(), m.documentId()), System.nanoTime());
            case RepoMessage.DocUnavailable m -> { }
            case RepoMessage.Ephemeral m -> { }
            case RepoMessage.RemoteHeadsChanged m -> { }
            case RepoMessage.RemoteSubscriptionChange m -> { }
            case RepoMessage.Join m -> { }
            case RepoMessage.Peer m -> { }
            case RepoMessage.Leave m -> { }
            case RepoMessage.Error m -> { }
            case RepoMessage.Unknown m -> { }
          }
          listener.message(message);
        }
      });
    }

    @Override
    public void send(RepoMessage message) {
      if (message instanceof RepoMessage.DocMessage m && !(m instanceof RepoMessage.Ephemeral)) {
        Long start = pending.remove(new Conversation(m.targetId(), m.documentId()));
        if (start != null) {
          metrics.syncLatency(System.nanoTime() - start);
        }
      }
      inner.send(message);
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
