package dev.loam.server;

import dev.loam.Bytes;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.LoamException;
import dev.loam.repo.DocumentId;
import dev.loam.repo.PeerId;
import dev.loam.repo.net.PeerMetadata;
import dev.loam.repo.net.RepoMessage;
import dev.loam.repo.storage.StorageSubsystem;
import dev.loam.sync.Sync;
import dev.loam.sync.SyncLimits;
import dev.loam.sync.SyncMessage;
import dev.loam.sync.SyncState;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The sync server's per-document loop, as automerge-repo's sync server behaves (share policy
 * false): for each {@code request} or {@code sync} it loads the document (empty if unknown),
 * takes the message in, <b>stores the new changes</b>, answers the sender, and sends sync messages
 * to every other peer that has exchanged sync messages about the document. It never announces a
 * document to a peer that did not ask. Ephemeral messages are relayed to the document's other
 * peers, dropping counts already seen per sender and session.
 *
 * <p>Durability: a change is committed to storage before any sync message whose heads include it
 * is sent, because every message about a document is generated under the document's lock after
 * {@link StorageSubsystem#saveDoc} returned. If storing fails, the in-memory document and its
 * sync states are dropped (reloaded from storage on the next message) and nothing is sent.
 *
 * <p>Sync states are per (document, peer); for a peer that announced a storage id and is not
 * ephemeral they start from the one stored under {@code [docId, "sync-state", storageId]} and are
 * stored back when the peer disconnects and on {@link #flush}.
 *
 * <p>Thread-safe: calls about one document are serialised by a per-document lock; different
 * documents proceed in parallel. It runs on the network adapter's threads.
 */
public final class ServerSynchronizer implements SyncHost {
  private static final Logger log = LoggerFactory.getLogger(ServerSynchronizer.class);

  /** One document and its peers; every field is guarded by {@link #lock}. */
  private static final class Entry {
    final ReentrantLock lock = new ReentrantLock();
    volatile @Nullable Document doc;
    final Map<PeerId, SyncState> states = new HashMap<>();
    final Set<PeerId> active = new LinkedHashSet<>();
    /** Peers whose last sync message showed heads: they have the document. */
    final Set<PeerId> having = new LinkedHashSet<>();
    /** Peers that asked for the document while no one here had it. */
    final Set<PeerId> waiting = new LinkedHashSet<>();
    final Map<String, Long> ephemeralCounts = new HashMap<>();
  }

  private final StorageSubsystem storage;
  private final PeerId self;
  private final Consumer<RepoMessage> out;
  private final ServerMetrics metrics;
  private final SyncLimits syncLimits;
  private final ConcurrentHashMap<DocumentId, Entry> docs = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<PeerId, PeerMetadata> peers = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * A synchronizer keeping documents in {@code storage}, naming itself {@code self} and sending
   * through {@code out} (usually the network adapter's {@code send}).
   */
  public ServerSynchronizer(StorageSubsystem storage, PeerId self, Consumer<RepoMessage> out,
                            ServerMetrics metrics, SyncLimits syncLimits) {
    this.storage = storage;
    this.self = self;
    this.out = out;
    this.metrics = metrics;
    this.syncLimits = syncLimits;
  }

  @Override
  public void peerCandidate(PeerId peer, PeerMetadata metadata) {
    peers.put(peer, metadata);
  }

  @Override
  public void peerDisconnected(PeerId peer) {
    PeerMetadata metadata = peers.remove(peer);
    docs.forEach((id, e) -> {
      e.lock.lock();
      try {
        SyncState st = e.states.remove(peer);
        e.active.remove(peer);
        e.waiting.remove(peer);
        boolean had = e.having.remove(peer);
        if (st != null) {
          persistSyncState(id, metadata, st);
        }
        Document doc = e.doc;
        if (had && e.having.isEmpty() && (doc == null || doc.heads().isEmpty())) {
          // The only peer that had it left before sending it: tell whoever is waiting.
          for (PeerId w : e.waiting) {
            out.accept(new RepoMessage.DocUnavailable(self, w, id));
          }
        }
      } finally {
        e.lock.unlock();
      }
    });
  }

  @Override
  public void message(RepoMessage message) {
    if (closed) {
      return;
    }
    switch (message) {
      case RepoMessage.Sync m -> sync(m.senderId(), m.documentId(), m.data(), false);
      case RepoMessage.Request m -> sync(m.senderId(), m.documentId(), m.data(), true);
      case RepoMessage.Ephemeral m -> relay(m);
      case RepoMessage.DocUnavailable m -> log.debug("peer {} has no document {}", m.senderId(), m.documentId());
      default -> log.debug("ignoring {} from {}", message.type(), message.senderId());
    }
  }

  private void sync(PeerId peer, DocumentId id, Bytes data, boolean request) {
    long start = System.nanoTime();
    Entry e = docs.computeIfAbsent(id, k -> new Entry());
    e.lock.lock();
    try {
      Document doc = e.doc;
      if (doc == null) {
        doc = storage.loadDoc(id).orElseGet(Document::create);
        e.doc = doc;
      }
      SyncState state = e.states.get(peer);
      if (state == null) {
        state = initialState(id, peers.get(peer));
        e.states.put(peer, state);
      }
      e.active.add(peer);
      Heads before = doc.heads();
      try {
        if (data.size() > syncLimits.maxMessageBytes()) {
          throw new dev.loam.sync.SyncLimitException(dev.loam.sync.SyncLimitException.Limit.MESSAGE_BYTES,
              data.size(), syncLimits.maxMessageBytes());
        }
        SyncMessage message = SyncMessage.decode(data.toByteArray());
        if (message.heads().isEmpty()) {
          e.having.remove(peer);
        } else {
          e.having.add(peer);
        }
        Sync.receiveSyncMessage(doc, state, message, syncLimits);
      } catch (LoamException ex) {
        log.warn("document {}: ignoring a sync message from {} that does not apply: {}", id, peer, ex.getMessage());
        return;
      }
      Heads after = doc.heads();
      boolean changed = !before.equals(after);
      if (changed) {
        try {
          storage.saveDoc(id, doc);
        } catch (RuntimeException ex) {
          log.error("document {}: storing changes from {} failed; dropping them from memory", id, peer, ex);
          e.doc = null;
          e.states.clear();
          return;
        }
      }
      answer(e, id, peer);
      if (changed) {
        for (PeerId other : List.copyOf(e.active)) {
          if (!other.equals(peer)) {
            answer(e, id, other);
          }
        }
      }
      if (!after.isEmpty()) {
        e.waiting.clear();
      } else if (request) {
        // As automerge-repo: unavailable unless another peer syncing this document has it.
        e.waiting.add(peer);
        if (e.having.stream().noneMatch(p -> !p.equals(peer))) {
          out.accept(new RepoMessage.DocUnavailable(self, peer, id));
        }
      }
    } finally {
      e.lock.unlock();
      metrics.syncLatency(System.nanoTime() - start);
    }
  }

  /** Under {@code e.lock}: sends {@code peer} what it needs, if anything. */
  private void answer(Entry e, DocumentId id, PeerId peer) {
    SyncState state = e.states.get(peer);
    Document doc = e.doc;
    if (state == null || doc == null) {
      return;
    }
    Optional<SyncMessage> msg = Sync.generateSyncMessage(doc, state);
    msg.ifPresent(m -> out.accept(new RepoMessage.Sync(self, peer, id, Bytes.wrap(m.encode()))));
  }

  private void relay(RepoMessage.Ephemeral m) {
    Entry e = docs.computeIfAbsent(m.documentId(), k -> new Entry());
    e.lock.lock();
    try {
      String session = m.senderId().value() + ":" + m.sessionId();
      Long last = e.ephemeralCounts.get(session);
      if (last != null && m.count() <= last) {
        return;
      }
      e.ephemeralCounts.put(session, m.count());
      e.active.add(m.senderId());
      for (PeerId other : e.active) {
        if (!other.equals(m.senderId())) {
          out.accept(new RepoMessage.Ephemeral(m.senderId(), other, m.documentId(), m.sessionId(), m.count(), m.data()));
        }
      }
    } finally {
      e.lock.unlock();
    }
  }

  private SyncState initialState(DocumentId id, @Nullable PeerMetadata metadata) {
    if (metadata != null && metadata.storageId() != null && !metadata.ephemeral()) {
      try {
        return storage.loadSyncState(id, metadata.storageId()).orElseGet(SyncState::new);
      } catch (RuntimeException ex) {
        log.warn("document {}: could not load the sync state for storage {}", id, metadata.storageId(), ex);
      }
    }
    return new SyncState();
  }

  private void persistSyncState(DocumentId id, @Nullable PeerMetadata metadata, SyncState state) {
    if (metadata == null || metadata.storageId() == null || metadata.ephemeral()) {
      return;
    }
    try {
      storage.saveSyncState(id, metadata.storageId(), state);
    } catch (RuntimeException ex) {
      log.warn("document {}: could not store the sync state for storage {}", id, metadata.storageId(), ex);
    }
  }

  @Override
  public int documentCount() {
    int n = 0;
    for (Entry e : docs.values()) {
      if (e.doc != null) {
        n++;
      }
    }
    return n;
  }

  @Override
  public void flush() {
    docs.forEach((id, e) -> {
      e.lock.lock();
      try {
        Document doc = e.doc;
        if (doc != null) {
          storage.saveDoc(id, doc);
        }
        for (Map.Entry<PeerId, SyncState> s : new ArrayList<>(e.states.entrySet())) {
          persistSyncState(id, peers.get(s.getKey()), s.getValue());
        }
      } finally {
        e.lock.unlock();
      }
    });
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    flush();
    docs.clear();
  }
}
