package dev.loam.server;

import dev.loam.Bytes;
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
import dev.loam.sync.SyncMessage;

import java.time.InstantSource;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's documents as a {@link Repo}: the server's storage, its
 * {@link WebSocketServerAdapter} as the repo's only network adapter, and share policy
 * {@link SharePolicy#NEVER} (answer, never announce), as automerge-repo's sync server. The repo
 * stores a change before it sends any sync message whose heads include it, which is the server's
 * durability rule. A peer asking about documents the server lacks keeps at most
 * {@link ServerLimits#maxMissingDocumentsPerPeer()} of them open (see
 * {@link dev.loam.repo.RepoBuilder#maxMissingDocumentsPerPeer}).
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
               SyncLimits syncLimits, ServerLimits limits) {
    this(storage, self, clock, network, metrics, syncLimits, limits, (id, heads) -> { });
  }

  /** As the other constructor, telling {@code saved} each time storage comes to hold a document's changes (a cluster's notifications). */
  RepoSyncHost(StorageAdapter storage, PeerId self, InstantSource clock, NetworkAdapter network, ServerMetrics metrics,
               SyncLimits syncLimits, ServerLimits limits, java.util.function.BiConsumer<DocumentId, dev.loam.Heads> saved) {
    this.repo = Repo.builder()
        .onSaved(saved)
        .peerId(self)
        .clock(clock)
        .storage(storage)
        .network(new Metered(network, metrics))
        .sharePolicy(SharePolicy.NEVER)
        .syncLimits(syncLimits)
        .syncDebounce(limits.relayBatch())
        .maxMissingDocumentsPerPeer(limits.maxMissingDocumentsPerPeer())
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
  public int missingDocumentCount() {
    return repo.missingDocumentCount();
  }

  @Override
  public StorageId storageId() {
    return repo.storageId().orElseThrow(); // built with a storage adapter, so it has one
  }

  @Override
  public void close() {
    repo.close();
  }

  /**
   * Passes everything through to {@code inner}, timing each answer to a sync message and each
   * relay of a change (see {@link ServerMetrics}): the last sync message with changes about a
   * document is remembered with its sender and arrival time until every other peer it is sent to
   * has had a message about that document.
   */
  private record Metered(NetworkAdapter inner, ServerMetrics metrics,
                         ConcurrentHashMap<PeerId, ConcurrentHashMap<DocumentId, Long>> pending,
                         ConcurrentHashMap<DocumentId, Relay> relays) implements NetworkAdapter {

    /** A change from {@code from} that arrived at {@code start}; {@code sent} the peers it was relayed to so far. */
    private record Relay(PeerId from, long start, Set<PeerId> sent) {}

    /** Sync messages this large are taken to carry changes without decoding them again. */
    private static final int PEEK_LIMIT = 64 << 10;
    /** A change not relayed within this time is forgotten: whoever gets it later asked for it. */
    private static final long RELAY_HORIZON_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

    Metered(NetworkAdapter inner, ServerMetrics metrics) {
      this(inner, metrics, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
    }

    /** True if a sync message's {@code data} carries changes (or is too large to be worth decoding twice). */
    private static boolean carriesChanges(Bytes data) {
      if (data.size() > PEEK_LIMIT) {
        return true;
      }
      try {
        return !SyncMessage.decode(data.toByteArray()).changes().isEmpty();
      } catch (RuntimeException e) {
        return false; // the repo refuses it
      }
    }

    /** The documents {@code peer} sent a message about that has not been answered yet, with when it arrived. */
    private ConcurrentHashMap<DocumentId, Long> awaiting(PeerId peer) {
      return pending.computeIfAbsent(peer, p -> new ConcurrentHashMap<>());
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
          pending.remove(peer); // per peer: a departure costs the same however many peers remain
          relays.values().removeIf(r -> r.from().equals(peer));
          listener.peerDisconnected(peer);
        }

        @Override
        public void message(RepoMessage message) {
          switch (message) {
            case RepoMessage.Sync m -> {
              long now = System.nanoTime();
              awaiting(m.senderId()).put(m.documentId(), now);
              if (carriesChanges(m.data())) {
                relays.put(m.documentId(), new Relay(m.senderId(), now, ConcurrentHashMap.newKeySet()));
              }
            }
            case RepoMessage.Request m -> awaiting(m.senderId()).put(m.documentId(), System.nanoTime());
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
        ConcurrentHashMap<DocumentId, Long> awaiting = pending.get(m.targetId());
        Long start = awaiting == null ? null : awaiting.remove(m.documentId());
        if (start != null) {
          metrics.syncLatency(System.nanoTime() - start);
        }
        Relay relay = m instanceof RepoMessage.Sync ? relays.get(m.documentId()) : null;
        if (relay != null && !relay.from().equals(m.targetId())) {
          long took = System.nanoTime() - relay.start();
          if (took > RELAY_HORIZON_NANOS) {
            relays.remove(m.documentId(), relay); // a peer that joins long after the change gets an answer, not a relay
          } else if (relay.sent().add(m.targetId())) {
            metrics.relay(took);
          }
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
