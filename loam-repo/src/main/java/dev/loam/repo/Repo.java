package dev.loam.repo;

import dev.loam.ActorId;
import dev.loam.Bytes;
import dev.loam.CommitOptions;
import dev.loam.Document;
import dev.loam.repo.id.AutomergeUrl;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.id.StorageId;
import dev.loam.repo.internal.StorageSubsystem;
import dev.loam.repo.internal.VirtualThreads;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.DocumentHook;
import dev.loam.repo.spi.NetworkAdapter;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.sync.SyncLimits;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many documents, kept in storage and synced with peers over the automerge-repo protocol. Build
 * one with {@link #builder()}, then {@link #create()} documents or {@link #find} them by URL or id;
 * each is a {@link DocHandle}. {@link #close()} saves everything and disconnects.
 *
 * <p>Behaviour follows automerge-repo 2.5.6: one sync state per (document, peer), persisted under
 * the peer's storage id; a {@code request} when we have nothing, a {@code sync} otherwise; every
 * incoming sync message answered to its sender; local changes synced (debounced) to every peer
 * in the document's conversation; {@code doc-unavailable} when we lack a document and every peer
 * lacks or wants it; ephemeral messages deduplicated by session and count and relayed to the
 * document's other peers; the {@link SharePolicy} decides what is announced. A change is saved
 * to storage before any sync message whose heads include it is sent. A peer's waits for documents
 * this repo lacks are bounded: {@link RepoBuilder#maxMissingDocumentsPerPeer}.
 *
 * <p>Thread-safe. Work about one document runs on that document's serial task queue over the
 * repo's executor (by default a virtual thread per task); network adapters' threads only hand
 * messages to those queues. Each method says whether it blocks: most do not, the ones that wait
 * for storage say so. One {@link RepoBuilder#clock clock} times every change the repo's documents
 * make, whether created here, loaded from storage, imported or received.
 */
public final class Repo implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Repo.class);
  /** Ephemeral sessions remembered for deduplication (see {@link EphemeralSessions}). */
  static final int MAX_EPHEMERAL_SESSIONS = EphemeralSessions.MAX;

  /** A connected peer: one per connection, so a reconnection is a new {@code PeerInfo} under the same id. */
  record PeerInfo(NetworkAdapter adapter, PeerMetadata metadata) {}

  private final PeerId peerId;
  private final @Nullable StorageSubsystem storage;
  private final List<NetworkAdapter> adapters;
  private final SharePolicy sharePolicy;
  private final Executor executor;
  private final ScheduledExecutorService timer;
  private final List<AutoCloseable> owned = new ArrayList<>();
  private final InstantSource clock;
  private final Duration syncDebounce;
  private final Duration unavailableTimeout;
  private final SyncLimits syncLimits;
  private final String sessionId;
  private final AtomicLong ephemeralCount = new AtomicLong();
  private final EphemeralSessions ephemeralSeen = new EphemeralSessions();
  private final ConcurrentHashMap<DocumentId, DocHandle> handles = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<PeerId, PeerInfo> peers = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final DocumentHook documentHook;
  private final CopyOnWriteArrayList<DocHandle.Listener> listeners = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<EphemeralListener> ephemeralListeners = new CopyOnWriteArrayList<>();
  private final PeerArrivals arrivals = new PeerArrivals();
  private final MissingDocuments missing;
  private final Conversations conversations = new Conversations(peers::get);

  Repo(RepoBuilder b) {
    this.peerId = b.peerId == null ? PeerId.random() : b.peerId;
    this.documentHook = b.documentHook;
    this.storage = b.storage == null ? null : new StorageSubsystem(b.storage, b.clock, documentHook, b.saveListener);
    this.adapters = List.copyOf(b.network);
    this.sharePolicy = b.sharePolicy;
    this.clock = b.clock;
    this.syncDebounce = b.syncDebounce;
    this.unavailableTimeout = b.unavailableTimeout;
    this.syncLimits = b.syncLimits;
    this.sessionId = b.sessionId == null ? UUID.randomUUID().toString() : b.sessionId;
    this.missing = new MissingDocuments(handles, storage, b.maxMissingPerPeer, peers::containsKey,
        k -> new DocHandle(this, k, Document.create(ActorId.random(), clock), DocHandle.State.LOADING));
    if (b.executor != null) {
      this.executor = b.executor;
    } else {
      ExecutorService e = VirtualThreads.perTask("loam-repo");
      owned.add(e::shutdown);
      this.executor = e;
    }
    if (b.timer != null) {
      this.timer = b.timer;
    } else {
      ScheduledExecutorService t = VirtualThreads.timer("loam-repo-timer");
      owned.add(t::shutdownNow);
      this.timer = t;
    }
    PeerMetadata self = storage == null ? PeerMetadata.EPHEMERAL : PeerMetadata.persistent(storage.id());
    for (NetworkAdapter a : adapters) {
      a.connect(peerId, self, new AdapterListener(a));
    }
  }

  /**
   * Takes in the changes another process stored for document {@code id} in this repo's storage
   * since this repo last read or wrote it (several servers over one database), then syncs them to
   * the document's peers. Does nothing for a document not open here (it is read whole when it is
   * opened) or a repo without storage, and reads nothing if the document already holds every
   * change in {@code stored} (the heads the other process stored; empty when unknown). Does not
   * block: runs on the document's task queue.
   */
  public void absorbStored(DocumentId id, dev.loam.Heads stored) {
    DocHandle h = handles.get(id);
    if (h != null && storage != null && !closed.get()) {
      h.tasks().execute(() -> StoredChanges.absorb(h, storage, stored));
    }
  }

  /** A builder with the defaults. Does not block. */
  public static RepoBuilder builder() {
    return new RepoBuilder();
  }

  /** This repo's name on the network. Does not block. */
  public PeerId peerId() {
    return peerId;
  }

  /** The id of this repo's storage, or empty for a repo without storage. Does not block (read when the repo was built). */
  public java.util.Optional<StorageId> storageId() {
    return storage == null ? java.util.Optional.empty() : java.util.Optional.of(storage.id());
  }

  /**
   * The storage adapter this repo writes through, or empty for a repo without storage: for stores
   * that keep their own keys beside the repo's (secure documents under {@code ["loam-secure", ...]}).
   * Writes through it share the repo's write lock, so a {@link #backup} sees them whole. Does not block.
   */
  public java.util.Optional<StorageAdapter> storageAdapter() {
    return storage == null ? java.util.Optional.empty() : java.util.Optional.of(storage.guardedAdapter());
  }

  /** The documents this repo has handles for now (found, created, or asked about by peers still waiting for them). Does not block. */
  public Set<DocumentId> documentIds() {
    return Set.copyOf(handles.keySet());
  }

  /** Handles peers opened for documents this repo lacks, kept while they wait ({@link RepoBuilder#maxMissingDocumentsPerPeer}). Does not block. */
  public int missingDocumentCount() {
    return missing.size();
  }

  /** The peers connected now, with what they announced. Does not block. */
  public Map<PeerId, PeerMetadata> peers() {
    Map<PeerId, PeerMetadata> out = new HashMap<>();
    peers.forEach((k, v) -> out.put(k, v.metadata()));
    return out;
  }

  /** As {@link #whenPeerConnected(Predicate)} for any peer. */
  public CompletableFuture<PeerId> whenPeerConnected() {
    return whenPeerConnected(p -> true);
  }

  /**
   * Completes with a connected peer that {@code accepts} takes: one connected now, else the first
   * that connects later (on the network adapter's thread, once the repo has queued its
   * conversations with it). Stays pending while none connects (add a timeout); fails with
   * {@link IllegalStateException} when the repo closes. Does not block.
   */
  public CompletableFuture<PeerId> whenPeerConnected(Predicate<? super PeerId> accepts) {
    return arrivals.await(Objects.requireNonNull(accepts), peers.keySet());
  }

  /**
   * A new document with a fresh id, ready at once. It starts with an empty change (as
   * automerge-repo's {@code create()}), so it has heads and peers can tell it exists; it is saved
   * and announced to the peers the share policy allows, on its task queue. Does not block.
   */
  public DocHandle create() {
    Document doc = Document.create(ActorId.random(), clock);
    doc.emptyChange(CommitOptions.DEFAULT);
    return adopt(doc);
  }

  /**
   * A new document with a fresh id holding the history in {@code bytes} (a saved document, or
   * change chunks). Decodes on the caller's thread; saving and announcing it do not block.
   *
   * @throws dev.loam.DecodeException if {@code bytes} is not a complete Automerge file (a bad or
   *     torn chunk, or changes whose dependencies it lacks)
   */
  public DocHandle importDoc(byte[] bytes) {
    Document doc = Document.create(ActorId.random(), clock);
    dev.loam.LoadResult loaded = doc.loadIncremental(bytes);
    if (loaded.truncated()) {
      throw new dev.loam.DecodeException(loaded.truncatedAt(), "a complete chunk, not a torn one");
    }
    if (!doc.missingDeps(dev.loam.Heads.EMPTY).isEmpty()) {
      throw new dev.loam.DecodeException(bytes.length, "the dependencies " + doc.missingDeps(dev.loam.Heads.EMPTY)
          + " of changes in the file");
    }
    return adopt(doc);
  }

  /** The handle of {@code url}'s document (heads and path in the URL are ignored). Does not block, as {@link #find(DocumentId)}. */
  public DocHandle find(AutomergeUrl url) {
    return find(url.documentId());
  }

  /**
   * The handle of document {@code id}: the one in memory, or a new one that loads the document
   * from storage or, failing that, asks peers for it. Wait with {@link DocHandle#whenReady()}.
   * Finding a handle that is {@link DocHandle.State#UNAVAILABLE} asks the peers again. Does not
   * block: the load runs on the handle's task queue.
   */
  public DocHandle find(DocumentId id) {
    ensureOpen();
    DocHandle h = missing.forUser(id);
    h.retryIfUnavailable();
    return h;
  }

  /**
   * Document {@code id}'s handle if this repo has one in memory (found, created, loaded, or asked
   * about by a peer), without finding it: nothing is loaded nor asked for. Does not block.
   */
  public java.util.Optional<DocHandle> handleInMemory(DocumentId id) {
    return java.util.Optional.ofNullable(handles.get(id));
  }

  /**
   * Document {@code id} as storage holds it, loaded into a document of the caller's own without a
   * handle: nothing of it stays in this repo's memory and no listener hears of it (to read many
   * documents once, e.g. to index them). A handle in memory may hold more ({@link #handleInMemory}).
   * Empty if storage holds none of it or the repo has no storage. Blocks on storage.
   */
  public java.util.Optional<dev.loam.Document> loadStored(DocumentId id) {
    ensureOpen();
    return storage == null ? java.util.Optional.empty() : storage.loadDoc(id);
  }

  /** The saved bytes of document {@code id}, once it is ready. Does not block. */
  public CompletableFuture<byte[]> export(DocumentId id) {
    return find(id).whenReady().thenApply(h -> h.export().toByteArray());
  }

  /**
   * Forgets document {@code id}: its handle becomes {@link DocHandle.State#DELETED} and its chunks
   * and sync states leave storage. Peers are not told (as automerge-repo). Blocks until the
   * document's task queue has run the work queued before and storage has removed it.
   */
  public void delete(DocumentId id) {
    ensureOpen();
    DocHandle h = handles.remove(id);
    missing.deleted(id);
    CompletableFuture<Void> done = new CompletableFuture<>();
    Runnable remove = () -> {
      try {
        if (h != null) {
          h.markDeleted();
        }
        if (storage != null) {
          storage.removeDoc(id);
        }
        done.complete(null);
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    };
    if (h != null) {
      h.tasks().execute(remove);
    } else {
      executor.execute(remove);
    }
    done.join();
  }

  /**
   * Saves every document now; returns when storage holds them. Blocks on each document's task
   * queue (the work queued before) and on storage.
   */
  public void flush() {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (DocHandle h : handles.values()) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      h.tasks().execute(() -> {
        try {
          h.saveNow();
          f.complete(null);
        } catch (RuntimeException e) {
          f.completeExceptionally(e);
        }
      });
      all.add(f);
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
  }

  /**
   * Makes {@code listener} hear every handle of this repo, those there now and those to come: each
   * change (local, from a peer, or loaded from storage, with heads before and after and the
   * patches between them), each state change and each ephemeral message. The way to follow every
   * document (an index, a search, an audit log). It is called as a {@link DocHandle.Listener}
   * added to each handle would be: never under a handle's lock, in order for one document, but
   * for different documents from different threads at once, so it must be thread-safe. Does not
   * block.
   */
  public void addListener(DocHandle.Listener listener) {
    listeners.add(Objects.requireNonNull(listener));
  }

  /** Stops {@code listener} hearing this repo's handles; does nothing if it was not added. Does not block. */
  public void removeListener(DocHandle.Listener listener) {
    listeners.remove(listener);
  }

  /**
   * Makes {@code listener} hear every ephemeral message peers send this repo, for any document,
   * including one this repo has no handle for (no handle is opened for it, so a peer naming many
   * documents costs no memory). Such a message is also relayed to the other connected peers the
   * {@link SharePolicy} announces the document to, as automerge-repo does. Does not block.
   */
  public void addEphemeralListener(EphemeralListener listener) {
    ephemeralListeners.add(Objects.requireNonNull(listener));
  }

  /** Stops {@code listener} hearing ephemeral messages; does nothing if it was not added. Does not block. */
  public void removeEphemeralListener(EphemeralListener listener) {
    ephemeralListeners.remove(listener);
  }

  /**
   * A consistent copy of this repo's storage, for backup: saves every document, then hands
   * {@code sink} every chunk in storage as it was at one instant (the repo writes nothing to storage
   * while it reads them). Saving the chunks into an empty {@link StorageAdapter} gives a storage
   * from which a repo opens the same documents, histories and storage id. Chunks are as stored
   * (after any {@link DocumentHook}). Blocks on storage (the read holds back the repo's own saves,
   * not reads or changes), then on {@code sink}, which is called on the caller's thread after the
   * read.
   *
   * @throws IllegalStateException if the repo has no storage or is closed
   */
  public void backup(Consumer<? super Chunk> sink) {
    ensureOpen();
    if (storage == null) {
      throw new IllegalStateException("a repo without storage has nothing to back up");
    }
    flush();
    storage.snapshot().forEach(sink);
  }

  /**
   * Saves every document, disconnects from every peer, and closes the network adapters and the
   * storage adapter (the repo owns what its builder was given). Idempotent. Blocks as
   * {@link #flush()}, then while the adapters close. Pending {@link #whenPeerConnected} futures fail.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      flush();
    } finally {
      for (NetworkAdapter a : adapters) {
        closeQuietly(a);
      }
      peers.clear();
      arrivals.close();
      if (storage != null) {
        closeQuietly(storage.adapter());
      }
      for (AutoCloseable c : owned) {
        closeQuietly(c);
      }
    }
  }

  @Override
  public String toString() {
    return "Repo(" + peerId + ", " + handles.size() + " documents, " + peers.size() + " peers)";
  }

  // ---- for DocHandle ----

  Executor executor() {
    return executor;
  }

  InstantSource clock() {
    return clock;
  }

  @Nullable StorageSubsystem storage() {
    return storage;
  }

  SyncLimits syncLimits() {
    return syncLimits;
  }

  DocumentHook documentHook() {
    return documentHook;
  }

  List<DocHandle.Listener> listeners() {
    return listeners;
  }

  Conversations conversations() {
    return conversations;
  }

  /** The connected peers a document may be announced to: none under {@link SharePolicy#NEVER} (a server's). */
  Map<PeerId, PeerInfo> announceable() {
    return sharePolicy == SharePolicy.NEVER ? Map.of() : Map.copyOf(peers);
  }

  boolean shouldShare(PeerId peer, DocumentId id) {
    try {
      return sharePolicy.shouldShare(peer, id);
    } catch (RuntimeException e) {
      log.error("the share policy failed for {} and {}; not sharing", peer, id, e);
      return false;
    }
  }

  /** Sends {@code message} to its target through the adapter that reaches it; drops it if none does. */
  void send(RepoMessage.DocMessage message) {
    PeerInfo p = peers.get(message.targetId());
    if (p == null) {
      log.debug("dropping {} for {}: not connected", message.type(), message.targetId());
      return;
    }
    try {
      p.adapter().send(message);
    } catch (RuntimeException e) {
      log.warn("could not send {} to {}", message.type(), message.targetId(), e);
    }
  }

  /** Syncs {@code h}'s changes with its peers, at most once per debounce window ({@link FlushThrottle}). */
  void scheduleFlush(DocHandle h) {
    if (closed.get()) {
      return;
    }
    if (syncDebounce.isZero()) {
      h.tasks().execute(h::flush);
      return;
    }
    long wait = h.flushes.claim(syncDebounce.toNanos(), System.nanoTime());
    if (wait < 0) {
      return; // the flush already waiting carries this change
    }
    Runnable flush = () -> {
      h.flushes.begin(System.nanoTime());
      h.flush();
    };
    if (wait == 0) {
      h.tasks().execute(flush);
    } else {
      timer.schedule(() -> h.tasks().execute(flush), wait, TimeUnit.NANOSECONDS);
    }
  }

  void scheduleUnavailableTimeout(DocHandle h) {
    if (unavailableTimeout.isZero()) {
      h.tasks().execute(h::unavailableTimeout);
    } else {
      var weak = new java.lang.ref.WeakReference<>(h); // not kept by the timer: a handle that left the repo is garbage
      timer.schedule(() -> java.util.Optional.ofNullable(weak.get()).ifPresent(x -> x.tasks().execute(x::unavailableTimeout)),
          unavailableTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  void broadcastEphemeral(DocumentId id, List<PeerId> to, Bytes data) {
    for (PeerId p : to) {
      send(new RepoMessage.Ephemeral(peerId, p, id, sessionId, ephemeralCount.incrementAndGet(), data));
    }
  }

  /** Ephemeral sessions remembered now (bounded by {@link #MAX_EPHEMERAL_SESSIONS}). */
  int ephemeralSessions() {
    return ephemeralSeen.size();
  }

  // ---- internals ----

  private DocHandle adopt(Document doc) {
    ensureOpen();
    DocumentId id = DocumentId.random();
    DocHandle h = new DocHandle(this, id, doc, DocHandle.State.READY);
    handles.put(id, h);
    h.tasks().execute(h::load); // saves, then announces to the peers the policy allows
    return h;
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the repo is closed");
    }
  }

  private void onMessage(RepoMessage message) {
    if (closed.get()) {
      return;
    }
    switch (message) {
      case RepoMessage.Ephemeral e -> onEphemeral(e);
      case RepoMessage.Sync s -> route(s);
      case RepoMessage.Request r -> route(r);
      case RepoMessage.DocUnavailable u -> {
        DocHandle h = handles.get(u.documentId());
        if (h != null) {
          PeerInfo from = peers.get(u.senderId());
          h.tasks().execute(() -> h.receive(u, from));
        }
      }
      case RepoMessage.RemoteHeadsChanged r -> log.debug("ignoring remote-heads-changed from {}", r.senderId());
      case RepoMessage.RemoteSubscriptionChange r -> log.debug("ignoring remote-subscription-change from {}", r.senderId());
      case RepoMessage.Join j -> log.debug("ignoring a join that reached the repo");
      case RepoMessage.Peer p -> log.debug("ignoring a peer message that reached the repo");
      case RepoMessage.Leave l -> log.debug("ignoring a leave that reached the repo");
      case RepoMessage.Error e -> log.debug("ignoring an error message that reached the repo: {}", e.message());
      case RepoMessage.Unknown u -> log.debug("ignoring a message of unknown type {}", u.type());
    }
  }

  private void route(RepoMessage.DocMessage m) {
    DocHandle h = missing.forPeer(m.senderId(), m.documentId());
    PeerInfo from = peers.get(m.senderId());
    h.tasks().execute(() -> {
      h.receive(m, from);
      missing.settle(h);
    });
  }

  private void onEphemeral(RepoMessage.Ephemeral e) {
    if (e.senderId().equals(peerId) || !ephemeralSeen.fresh(e)) {
      return;
    }
    for (EphemeralListener l : ephemeralListeners) {
      try {
        l.ephemeral(e.documentId(), e.senderId(), e.data());
      } catch (RuntimeException ex) {
        log.warn("an ephemeral listener failed", ex);
      }
    }
    DocHandle h = handles.get(e.documentId());
    List<PeerId> relayTo;
    if (h != null) {
      h.deliverEphemeral(e.senderId(), e.data());
      relayTo = h.peers();
    } else {
      // no conversation yet: the peers automerge-repo would begin one with (its generous peers)
      relayTo = peers.keySet().stream().filter(p -> shouldShare(p, e.documentId())).toList();
    }
    for (PeerId p : relayTo) {
      if (!p.equals(e.senderId())) {
        // relayed: the original sender, session and count, a new target
        send(new RepoMessage.Ephemeral(e.senderId(), p, e.documentId(), e.sessionId(), e.count(), e.data()));
      }
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      log.warn("closing {} failed", c, e);
    }
  }

  /** Hears one adapter; runs on that adapter's threads and only hands work to document queues. */
  private final class AdapterListener implements NetworkAdapter.Listener {
    private final NetworkAdapter adapter;

    AdapterListener(NetworkAdapter adapter) {
      this.adapter = adapter;
    }

    @Override
    public void peerCandidate(PeerId peer, PeerMetadata metadata) {
      if (closed.get()) {
        return;
      }
      PeerInfo info = new PeerInfo(adapter, metadata);
      PeerInfo old = peers.put(peer, info);
      log.debug("peer {} connected ({})", peer, metadata);
      if (old != null) {
        conversations.end(peer); // a reconnect: fresh conversations, each ended before it begins again
      }
      if (sharePolicy != SharePolicy.NEVER) { // a server's policy: no document to look at per connection
        for (DocHandle h : handles.values()) {
          if (shouldShare(peer, h.documentId())) {
            h.tasks().execute(() -> h.beginSync(peer, info));
          }
        }
      }
      arrivals.arrived(peer);
    }

    @Override
    public void peerDisconnected(PeerId peer) {
      PeerInfo info = peers.get(peer);
      if (info == null || info.adapter() != adapter || !peers.remove(peer, info)) {
        return;
      }
      log.debug("peer {} disconnected", peer);
      ephemeralSeen.forget(peer); // its sessions end with it
      conversations.end(peer);
      missing.peerGone(peer); // after the endSync tasks: the handles it alone held leave
    }

    @Override
    public void message(RepoMessage message) {
      onMessage(message);
    }
  }
}
