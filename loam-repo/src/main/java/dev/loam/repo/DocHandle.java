package dev.loam.repo;

import dev.loam.ActorId;
import dev.loam.Bytes;
import dev.loam.ChangeHash;
import dev.loam.CommitOptions;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.LoamException;
import dev.loam.Transaction;
import dev.loam.repo.id.AutomergeUrl;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.internal.StorageSubsystem;
import dev.loam.repo.protocol.RepoMessage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One document of a {@link Repo}: its current state, its history, and its conversations with
 * peers. Get one from {@link Repo#create()} or {@link Repo#find}; wait for {@link #whenReady()};
 * then read with {@link #read}, write with {@link #change}, and follow changes with a
 * {@link Listener}.
 *
 * <p>Thread-safe. Reads and local changes run on the caller's thread and never wait for storage or
 * the network: they take only the handle's memory lock, which is held for in-memory work alone.
 * Everything else (loading, saving, syncing) runs on the handle's task queue, one task at a time.
 * Listeners are called without the memory lock, one event at a time, in the order the events
 * happened.
 *
 * <p>Implementation notes. Two things order the handle's work, each for its own job: the task
 * queue ({@link SerialExecutor}) serialises the document's work, so its {@link DocSynchronizer} and
 * storage bookkeeping are touched by one task at a time; the memory lock guards the
 * {@link Document} (and the state moves) for the short in-memory step of each reader, writer and
 * task. I/O happens only on the queue with the lock released: a save encodes under the lock
 * ({@link StorageSubsystem#prepareSave}) and writes without it. The durability rule (a change is in
 * storage before any sync message naming it is sent) holds because a sync message is generated
 * under the lock only when storage already holds the document's heads; otherwise the task saves
 * and tries again ({@link #durably}).
 */
public final class DocHandle implements dev.loam.undo.UndoTarget {
  private static final Logger log = LoggerFactory.getLogger(DocHandle.class);

  /** Where a handle is in its life. */
  public enum State {
    /** Reading the document from storage. */
    LOADING,
    /** Not in storage; asking peers for it. */
    REQUESTING,
    /** The document is here: read and change it. */
    READY,
    /** No storage holds it and no peer asked has it. Not final: a peer that later syncs it makes it {@link #READY}. */
    UNAVAILABLE,
    /** {@link Repo#delete} removed it. Final. */
    DELETED
  }

  /** Follows a handle; every method has an empty default. Called on a repo or caller thread, never under the handle's lock. */
  public interface Listener {
    /** The document changed (locally or through a peer). */
    default void changed(DocChange change) {}

    /** The handle moved to {@code state}. */
    default void stateChanged(DocHandle handle, State state) {}

    /** A peer broadcast an ephemeral message (presence, cursors): {@code data} is its CBOR payload. */
    default void ephemeral(DocHandle handle, PeerId sender, Bytes data) {}
  }

  private final Repo repo;
  private final DocumentId id;
  private final SerialExecutor tasks;
  final FlushThrottle flushes = new FlushThrottle(); // when the next flush may run (Repo#scheduleFlush)
  final ReentrantLock memory = new ReentrantLock();
  private final DocSynchronizer sync; // task queue only
  private final PeerWaiters waiters = new PeerWaiters(); // task queue only
  private final ConcurrentHashMap<PeerId, Heads> peerHeads = new ConcurrentHashMap<>(); // published by the queue
  private final ConcurrentHashMap<PeerId, SyncCounts> counts = new ConcurrentHashMap<>(); // published by the queue
  private final Set<PeerId> peers = ConcurrentHashMap.newKeySet(); // published by the queue, one peer at a time
  private volatile CompletableFuture<DocHandle> ready = new CompletableFuture<>(); // replaced under memory
  private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
  private final EventQueue events;
  Document doc; // guarded by memory
  private volatile State state; // moved under memory

  DocHandle(Repo repo, DocumentId id, Document doc, State initial) {
    this.repo = repo;
    this.id = id;
    this.doc = doc;
    this.state = initial;
    this.tasks = new SerialExecutor(repo.executor());
    this.events = new EventQueue(id);
    this.sync = new DocSynchronizer(this, repo.peerId(), repo.storage(), repo.syncLimits(), repo.documentHook(),
        repo.conversations());
    if (initial == State.READY) {
      ready.complete(this);
    }
  }

  /** The document's id. Does not block. */
  public DocumentId documentId() {
    return id;
  }

  /** The document's {@code automerge:} URL. Does not block. */
  public AutomergeUrl url() {
    return id.toUrl();
  }

  /** Where the handle is in its life now. Does not block. */
  public State state() {
    return state;
  }

  /** Whether the handle is {@link State#READY}. Does not block. */
  public boolean isReady() {
    return state == State.READY;
  }

  /**
   * Completes with this handle when the document is ready, or exceptionally with a
   * {@link DocumentUnavailableException} when it is unavailable or deleted. A document that
   * arrives after being declared unavailable still makes the handle {@link State#READY}: futures
   * taken before stay failed, later calls return a completed one, and {@link Listener#stateChanged}
   * reports it. Does not block; the future completes on a repo thread.
   */
  public CompletableFuture<DocHandle> whenReady() {
    return ready.copy();
  }

  /** The document's current heads (empty while it is not here). Waits only for the memory lock, never for I/O. */
  public Heads heads() {
    return read(Document::heads);
  }

  /**
   * The heads {@code peer} last reported for this document in a sync message, or empty if it has
   * not reported any (automerge-repo's remote heads, keyed by peer). Equal to {@link #heads()}
   * when the peer has everything we have and nothing more. Does not block.
   */
  public Optional<Heads> peerHeads(PeerId peer) {
    return Optional.ofNullable(peerHeads.get(peer));
  }

  /** What has passed between this handle and {@code peer} in the current conversation ({@link SyncCounts#NONE} if none). Does not block. */
  public SyncCounts syncCounts(PeerId peer) {
    return counts.getOrDefault(peer, SyncCounts.NONE);
  }

  /**
   * Completes with {@code peer}'s reported heads once they cover {@code heads}: each of them is one
   * of the peer's heads or, in this document's history, an ancestor of one. Use it to learn that a
   * change reached a peer ({@code whenPeerHas(server, handle.heads())}). It stays pending while the
   * peer reports less (add a timeout); it fails with {@link DocumentUnavailableException} if the
   * document is deleted. Does not block; the future completes on the handle's task queue.
   */
  public CompletableFuture<Heads> whenPeerHas(PeerId peer, Heads heads) {
    return whenPeer(peer, (d, theirs) -> PeerWaiters.covers(d, theirs, heads));
  }

  /**
   * Completes with the heads both have once {@code peer}'s reported heads equal this document's
   * heads: the peer and this handle then have the same changes (what {@code loam sync} waits for).
   * Pending and failing as {@link #whenPeerHas}. Does not block.
   */
  public CompletableFuture<Heads> whenSyncedWith(PeerId peer) {
    return whenPeer(peer, (d, theirs) -> theirs.equals(d.heads()));
  }

  /**
   * Runs {@code reader} on the document under the handle's memory lock and returns its result; do
   * not keep the document. Waits only for that lock (held by other readers, local changes and the
   * in-memory step of a sync message or save), never for storage or the network.
   */
  public <T> T read(Function<? super Document, T> reader) {
    memory.lock();
    try {
      return reader.apply(doc);
    } finally {
      memory.unlock();
    }
  }

  /** An independent copy of the document as it is now (a fork with a new actor), yours to keep. Blocks as {@link #read}. */
  public Document doc() {
    return read(Document::fork);
  }

  /** The whole document as one line of JSON. Blocks as {@link #read}. */
  public String toJson() {
    return read(Document::toJson);
  }

  /** As {@link #change(CommitOptions, Consumer)} with no message. */
  public Optional<ChangeHash> change(Consumer<Transaction> body) {
    return change(CommitOptions.DEFAULT, body);
  }

  /**
   * Runs {@code body} in a transaction on the document and commits it, serialised with every other
   * change to this document; then notifies listeners and, after the repo's debounce, saves the
   * change and syncs it to the document's peers on the task queue. If {@code body} throws nothing
   * is changed. Blocks as {@link #read} (plus {@code body} and the listeners it notifies), never
   * for storage or the network.
   *
   * @return the new change's hash, or empty if {@code body} wrote nothing
   * @throws IllegalStateException if the handle is not {@link State#READY}
   */
  public Optional<ChangeHash> change(CommitOptions options, Consumer<Transaction> body) {
    Optional<ChangeHash> hash;
    memory.lock();
    try {
      if (state != State.READY) {
        throw new IllegalStateException("document " + id + " is " + state + ", not ready");
      }
      Heads before = doc.heads();
      hash = doc.transact(options, body);
      if (hash.isPresent()) {
        noteChange(before, null);
      }
    } finally {
      memory.unlock();
    }
    dispatch();
    if (hash.isPresent()) {
      repo.scheduleFlush(this);
    }
    return hash;
  }

  /** As {@link #change(CommitOptions, Consumer)}, with one change undoing {@code changes} ({@link dev.loam.undo.Revert}); unknown hashes: IllegalArgumentException, nothing changed. */
  public Optional<ChangeHash> revert(CommitOptions options, java.util.Collection<ChangeHash> changes) {
    return change(options, tx -> dev.loam.undo.Revert.revert(tx, changes));
  }

  /**
   * Sends {@code cbor} (a CBOR-encoded payload) as an ephemeral message to every peer of this
   * document. Blocks while the network adapters take the messages (they queue them).
   */
  public void broadcast(byte[] cbor) {
    if (cbor.length == 0) {
      throw new IllegalArgumentException("automerge-repo never sends zero-length data");
    }
    repo.broadcastEphemeral(id, peers(), Bytes.of(cbor));
  }

  /** Adds a listener. Does not block. */
  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  /** Removes a listener. Does not block. */
  public void removeListener(Listener listener) {
    listeners.remove(listener);
  }

  @Override
  public String toString() {
    return "DocHandle(" + id + ", " + state + ")";
  }

  // ---- called by the repo; the methods that say so run on the task queue ----

  SerialExecutor tasks() {
    return tasks;
  }

  List<PeerId> peers() {
    return List.copyOf(peers);
  }

  Bytes export() {
    return read(d -> Bytes.wrap(d.save()));
  }

  /**
   * On the queue: loads the document from storage or starts asking peers for it (a
   * {@link State#LOADING} handle), or saves it (a new {@link State#READY} one); then announces it
   * to the connected peers the share policy allows.
   */
  void load() {
    loadNow();
    dispatch();
  }

  /**
   * {@link Repo#find} on an unavailable handle, on the caller's thread: give {@link #whenReady()} a
   * new future at once, then ask again on the queue (a fresh conversation with every peer the
   * policy allows).
   */
  void retryIfUnavailable() {
    memory.lock();
    try {
      if (state != State.UNAVAILABLE) {
        return;
      }
      ready = new CompletableFuture<>();
      setState(State.REQUESTING);
    } finally {
      memory.unlock();
    }
    dispatch();
    tasks.execute(() -> {
      if (state != State.REQUESTING) {
        return;
      }
      for (PeerId p : sync.peers()) {
        sync.remove(p);
        unpublished(p);
      }
      announce();
      dispatch();
    });
  }

  /** On the queue: announces the document to a newly connected peer the share policy allows. */
  void beginSync(PeerId peer, Repo.PeerInfo connection) {
    beginSyncNow(peer, connection);
    dispatch();
  }

  /** On the queue: ends the conversation with {@code peer}. */
  void endSync(PeerId peer) {
    sync.remove(peer);
    unpublished(peer);
  }

  /** On the queue: declares the document unavailable if it is still requested and nobody was asked. */
  void unavailableTimeout() {
    memory.lock();
    try {
      if (state == State.REQUESTING && sync.peers().isEmpty()) {
        setState(State.UNAVAILABLE);
      }
    } finally {
      memory.unlock();
    }
    dispatch();
  }

  /** On the queue: takes in a {@code sync}, {@code request} or {@code doc-unavailable} that came {@code from} a peer's connection. */
  void receive(RepoMessage.DocMessage message, Repo.@Nullable PeerInfo from) {
    if (state == State.LOADING) {
      // A peer's message can be queued before the load task of the handle it created (another
      // thread's find or message won the race to create it): load first rather than drop it.
      loadNow();
    }
    PeerId peer = message.senderId();
    if (state != State.DELETED && state != State.LOADING && sync.join(peer, from)) {
      switch (message) {
        case RepoMessage.Sync s -> receiveSync(peer, s.data(), false);
        case RepoMessage.Request r -> receiveSync(peer, r.data(), true);
        case RepoMessage.DocUnavailable u -> sync.markUnavailable(peer);
        case RepoMessage.Ephemeral e -> { }
        case RepoMessage.RemoteHeadsChanged r -> { }
      }
      checkUnavailable();
      published(peer);
      checkWaiters();
    }
    dispatch();
  }

  /** On the queue: saves what storage lacks, then sends every peer of the document what it lacks. */
  void flush() {
    if (state == State.READY) {
      durably(() -> null);
      for (PeerId peer : sync.peers()) {
        sendNext(peer);
      }
      sync.persistSyncStates();
    }
    dispatch();
  }

  /** On the queue: saves what storage lacks (for {@link Repo#flush}). */
  void saveNow() {
    if (state == State.READY) {
      durably(() -> null);
      sync.persistSyncStates();
    }
  }

  /** From a network thread: hands an ephemeral message to the listeners. */
  void deliverEphemeral(PeerId sender, Bytes data) {
    post(l -> l.ephemeral(this, sender, data));
    dispatch();
  }

  /** On the queue: the handle is deleted; its waiters fail. */
  void markDeleted() {
    memory.lock();
    try {
      setState(State.DELETED);
      doc = Document.create(ActorId.random(), repo.clock());
    } finally {
      memory.unlock();
    }
    waiters.failAll(new DocumentUnavailableException(id, State.DELETED), events);
    dispatch();
  }

  // ---- on the task queue ----

  private void loadNow() {
    if (state == State.LOADING) {
      StorageSubsystem storage = repo.storage();
      Optional<Document> stored = storage == null ? Optional.empty() : storage.loadDoc(id); // I/O: no lock
      memory.lock();
      try {
        if (stored.isPresent() && !stored.get().heads().isEmpty()) {
          Heads before = doc.heads();
          doc = stored.get();
          noteChange(before, null);
          setState(State.READY);
        } else {
          setState(State.REQUESTING);
        }
      } finally {
        memory.unlock();
      }
    } else if (state == State.READY) {
      durably(() -> null);
    } else {
      return;
    }
    announce();
  }

  /** Starts a conversation with every connected peer the policy allows; no peer means the unavailable timer. */
  private void announce() {
    for (Map.Entry<PeerId, Repo.PeerInfo> p : repo.announceable().entrySet()) {
      if (repo.shouldShare(p.getKey(), id)) {
        beginSyncNow(p.getKey(), p.getValue());
      }
    }
    if (state == State.REQUESTING && sync.peers().isEmpty()) {
      repo.scheduleUnavailableTimeout(this);
    }
  }

  private void beginSyncNow(PeerId peer, Repo.PeerInfo connection) {
    if (state == State.DELETED || state == State.LOADING || sync.has(peer) || !sync.join(peer, connection)) {
      return;
    }
    sendNext(peer); // and publishes the peer
  }

  private void receiveSync(PeerId peer, Bytes data, boolean request) {
    boolean changed;
    memory.lock();
    try {
      Heads before = doc.heads();
      try {
        sync.receive(doc, peer, data, request);
      } catch (LoamException e) {
        log.warn("document {}: ignoring a bad sync message from {}: {}", id, peer, e.getMessage());
        return;
      }
      Heads after = doc.heads();
      changed = !after.equals(before);
      if (changed) {
        noteChange(before, peer);
        if (state != State.READY && !after.isEmpty()) {
          setState(State.READY);
        }
      }
    } finally {
      memory.unlock();
    }
    sendNext(peer); // saves first: durable before any message whose heads include it goes out
    if (changed) {
      // The others may lack what this peer brought: tell them after the repo's debounce, as
      // automerge-repo throttles its sync with the other peers, so that a burst of changes goes
      // out as a few messages rather than one to every peer per incoming message.
      repo.scheduleFlush(this);
    }
    sync.persistSyncStates();
  }

  /** Sends {@code peer} the next sync message, if any, once storage holds every change in our heads. */
  private void sendNext(PeerId peer) {
    durably(() -> sync.next(doc, peer, state == State.READY)).ifPresent(repo::send);
    published(peer);
  }

  /**
   * Runs {@code step} under the memory lock at a moment when storage holds every change in the
   * document's heads: while it does not, encodes what storage lacks under the lock, writes it
   * without the lock, and looks again (a local change may have come in meanwhile). This is the
   * durability rule: a peer never sees heads we could lose.
   */
  private <T> T durably(Supplier<T> step) {
    StorageSubsystem storage = repo.storage();
    while (true) {
      StorageSubsystem.PendingSave save;
      memory.lock();
      try {
        Optional<StorageSubsystem.PendingSave> pending = storage == null || doc.heads().isEmpty()
            ? Optional.empty() : storage.prepareSave(id, doc);
        if (pending.isEmpty()) {
          return step.get();
        }
        save = pending.get();
      } finally {
        memory.unlock();
      }
      save.write(); // I/O: no lock
    }
  }

  private void checkUnavailable() {
    if (state == State.READY) {
      return;
    }
    boolean[] verdict = new boolean[1];
    List<PeerId> tell;
    memory.lock();
    try {
      tell = sync.unavailableCheck(doc, verdict);
      if (verdict[0] && state == State.REQUESTING) {
        setState(State.UNAVAILABLE);
      }
    } finally {
      memory.unlock();
    }
    for (PeerId p : tell) {
      repo.send(new RepoMessage.DocUnavailable(repo.peerId(), p, id));
    }
  }

  /**
   * Forgets, for readers on other threads, a peer that left the conversation. One peer at a time:
   * recomputing the published set on each join or departure cost a document with P peers O(P²)
   * per join (a retainAll over a list), so 2,000 clients joining one document took 30 s.
   */
  private void unpublished(PeerId peer) {
    peers.remove(peer);
    peerHeads.remove(peer);
    counts.remove(peer);
  }

  /** Publishes what we know of {@code peer} (its reported heads, the counts) for readers on other threads. */
  private void published(PeerId peer) {
    if (!sync.has(peer)) {
      return;
    }
    peers.add(peer);
    sync.theirHeads(peer).ifPresent(h -> peerHeads.put(peer, Heads.of(h)));
    counts.put(peer, sync.counts(peer));
  }

  private CompletableFuture<Heads> whenPeer(PeerId peer, BiPredicate<Document, Heads> holds) {
    CompletableFuture<Heads> future = new CompletableFuture<>();
    tasks.execute(() -> {
      if (state == State.DELETED) {
        future.completeExceptionally(new DocumentUnavailableException(id, State.DELETED));
        return;
      }
      waiters.add(peer, holds, future);
      checkWaiters();
      dispatch();
    });
    return future.copy();
  }

  /** Completes the waiters whose condition now holds of their peer's reported heads. */
  private void checkWaiters() {
    if (waiters.isEmpty()) {
      return;
    }
    memory.lock();
    try {
      waiters.check(doc, peerHeads, events);
    } finally {
      memory.unlock();
    }
  }

  // ---- under the memory lock ----

  void noteChange(Heads before, @Nullable PeerId peer) {
    if (listeners.isEmpty() && repo.listeners().isEmpty()) {
      return;
    }
    Heads after = doc.heads();
    DocChange change = DocChange.diffedOnDemand(this, before, after, Optional.ofNullable(peer));
    post(l -> l.changed(change));
  }

  void setState(State next) {
    if (state == next) {
      return;
    }
    state = next;
    post(l -> l.stateChanged(this, next));
    // completed outside the lock too: the future's dependents are user code
    switch (next) {
      case READY -> {
        if (ready.isDone()) {
          ready = new CompletableFuture<>(); // it failed earlier: later callers of whenReady() see it ready
        }
        CompletableFuture<DocHandle> f = ready;
        events.add(() -> f.complete(this));
      }
      case UNAVAILABLE, DELETED -> {
        CompletableFuture<DocHandle> f = ready;
        events.add(() -> f.completeExceptionally(new DocumentUnavailableException(id, next)));
      }
      case LOADING, REQUESTING -> { }
    }
  }

  // ---- events, outside the lock ----

  /** Queues {@code event} for every listener; it runs at the next {@link #dispatch}. */
  private void post(Consumer<Listener> event) {
    events.add(() -> {
      for (List<Listener> all : List.of(listeners, repo.listeners())) { // the handle's, then the repo-wide ones
        for (Listener l : all) {
          try {
            event.accept(l);
          } catch (RuntimeException e) {
            log.error("document {}: a listener failed", id, e);
          }
        }
      }
    });
  }

  /** Hands queued events to listeners and futures; called with the memory lock released. */
  private void dispatch() {
    events.dispatch();
  }
}
