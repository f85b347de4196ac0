package dev.loam.repo;

import dev.loam.Bytes;
import dev.loam.ChangeHash;
import dev.loam.CommitOptions;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.LoamException;
import dev.loam.Transaction;
import dev.loam.repo.net.PeerMetadata;
import dev.loam.repo.net.RepoMessage;
import dev.loam.repo.storage.StorageSubsystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One document of a {@link Repo}: its current state, its history, and its conversations with
 * peers. Get one from {@link Repo#create()} or {@link Repo#find}; wait for {@link #whenReady()};
 * then read with {@link #read}, write with {@link #change}, and follow changes with a
 * {@link Listener}.
 *
 * <p>Thread-safe. One lock per document serialises every read and write of it (local changes,
 * incoming sync messages, saves); listeners are called without that lock held, one event at a
 * time, in the order the events happened.
 */
public final class DocHandle {
  private static final Logger log = LoggerFactory.getLogger(DocHandle.class);

  /** Where a handle is in its life. */
  public enum State {
    /** Reading the document from storage. */
    LOADING,
    /** Not in storage; asking peers for it. */
    REQUESTING,
    /** The document is here: read and change it. */
    READY,
    /**
     * No storage holds it and every peer asked lacks it. Not final: a peer that later syncs it
     * makes the handle {@link #READY}.
     */
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
  private final ReentrantLock lock = new ReentrantLock();
  private final SerialExecutor tasks;
  private final DocSynchronizer sync;
  private volatile CompletableFuture<DocHandle> ready = new CompletableFuture<>();
  private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean dispatching = new AtomicBoolean();
  private Document doc; // guarded by lock
  private volatile State state;

  DocHandle(Repo repo, DocumentId id, Document doc, State initial) {
    this.repo = repo;
    this.id = id;
    this.doc = doc;
    this.state = initial;
    this.tasks = new SerialExecutor(repo.executor());
    this.sync = new DocSynchronizer(id, repo.peerId(), repo.storage(), repo.syncLimits());
    if (initial == State.READY) {
      ready.complete(this);
    }
  }

  public DocumentId documentId() {
    return id;
  }

  public AutomergeUrl url() {
    return id.toUrl();
  }

  public State state() {
    return state;
  }

  public boolean isReady() {
    return state == State.READY;
  }

  /**
   * Completes with this handle when the document is ready, or exceptionally with a
   * {@link DocumentUnavailableException} when it is unavailable or deleted. A document that
   * arrives after being declared unavailable still makes the handle {@link State#READY}: futures
   * taken before stay failed, later calls return a completed one, and {@link Listener#stateChanged}
   * reports it.
   */
  public CompletableFuture<DocHandle> whenReady() {
    return ready.copy();
  }

  /** The document's current heads (empty while it is not here). */
  public Heads heads() {
    return read(Document::heads);
  }

  /**
   * The heads {@code peer} last reported for this document in a sync message, or empty if it has
   * not reported any (automerge-repo's remote heads, keyed by peer). Equal to {@link #heads()}
   * when the peer has everything we have and nothing more.
   */
  public Optional<Heads> peerHeads(PeerId peer) {
    lock.lock();
    try {
      return sync.theirHeads(peer).map(Heads::of);
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code reader} on the document under the handle's lock and returns its result; do not keep the document. */
  public <T> T read(Function<? super Document, T> reader) {
    lock.lock();
    try {
      return reader.apply(doc);
    } finally {
      lock.unlock();
    }
  }

  /** An independent copy of the document as it is now (a fork with a new actor), yours to keep. */
  public Document doc() {
    return read(Document::fork);
  }

  /** The whole document as one line of JSON. */
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
   * change and syncs it to the document's peers. If {@code body} throws nothing is changed.
   *
   * @return the new change's hash, or empty if {@code body} wrote nothing
   * @throws IllegalStateException if the handle is not {@link State#READY}
   */
  public Optional<ChangeHash> change(CommitOptions options, Consumer<Transaction> body) {
    Optional<ChangeHash> hash;
    lock.lock();
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
      lock.unlock();
    }
    dispatch();
    if (hash.isPresent()) {
      repo.scheduleFlush(this);
    }
    return hash;
  }

  /** Sends {@code cbor} (a CBOR-encoded payload) as an ephemeral message to every peer of this document. */
  public void broadcast(byte[] cbor) {
    if (cbor.length == 0) {
      throw new IllegalArgumentException("automerge-repo never sends zero-length data");
    }
    List<PeerId> peers;
    lock.lock();
    try {
      peers = sync.peers();
    } finally {
      lock.unlock();
    }
    repo.broadcastEphemeral(id, peers, Bytes.of(cbor));
  }

  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  public void removeListener(Listener listener) {
    listeners.remove(listener);
  }

  @Override
  public String toString() {
    return "DocHandle(" + id + ", " + state + ")";
  }

  // ---- called by the repo, on this handle's task queue ----

  SerialExecutor tasks() {
    return tasks;
  }

  /**
   * Loads the document from storage or starts asking peers for it (a {@link State#LOADING}
   * handle), or saves it (a new {@link State#READY} one); then announces it to the connected peers
   * the share policy allows.
   */
  void load() {
    locked(this::loadLocked);
  }

  private void loadLocked() {
    {
      if (state == State.LOADING) {
        StorageSubsystem storage = repo.storage();
        Optional<Document> stored = storage == null ? Optional.empty() : storage.loadDoc(id);
        if (stored.isPresent() && !stored.get().heads().isEmpty()) {
          Heads before = doc.heads();
          doc = stored.get();
          noteChange(before, null);
          setState(State.READY);
        } else {
          setState(State.REQUESTING);
        }
      } else if (state == State.READY) {
        save();
      } else {
        return;
      }
      for (Map.Entry<PeerId, PeerMetadata> p : repo.connectedPeers().entrySet()) {
        if (repo.shouldShare(p.getKey(), id)) {
          beginSyncLocked(p.getKey(), p.getValue());
        }
      }
      if (state == State.REQUESTING && sync.peers().isEmpty()) {
        repo.scheduleUnavailableTimeout(this);
      }
    }
  }

  /**
   * {@link Repo#find} on an unavailable handle: ask again (a fresh conversation with every peer
   * the policy allows) and give {@link #whenReady()} a new future.
   */
  void retryIfUnavailable() {
    lock.lock();
    try {
      if (state != State.UNAVAILABLE) {
        return;
      }
      ready = new CompletableFuture<>();
      setState(State.REQUESTING);
    } finally {
      lock.unlock();
    }
    dispatch();
    tasks.execute(() -> locked(() -> {
      if (state != State.REQUESTING) {
        return;
      }
      for (PeerId p : sync.peers()) {
        sync.remove(p);
      }
      for (Map.Entry<PeerId, PeerMetadata> p : repo.connectedPeers().entrySet()) {
        if (repo.shouldShare(p.getKey(), id)) {
          beginSyncLocked(p.getKey(), p.getValue());
        }
      }
      if (sync.peers().isEmpty()) {
        repo.scheduleUnavailableTimeout(this);
      }
    }));
  }

  /** Announces the document to a newly connected peer the share policy allows. */
  void beginSync(PeerId peer, PeerMetadata metadata) {
    locked(() -> beginSyncLocked(peer, metadata));
  }

  void endSync(PeerId peer) {
    locked(() -> sync.remove(peer));
  }

  /** Declares the document unavailable if it is still requested and nobody was asked (no peers connected in time). */
  void unavailableTimeout() {
    locked(() -> {
      if (state == State.REQUESTING && sync.peers().isEmpty()) {
        setState(State.UNAVAILABLE);
      }
    });
  }

  /** Takes in a {@code sync}, {@code request} or {@code doc-unavailable} from a peer. */
  void receive(RepoMessage.DocMessage message, PeerMetadata metadata) {
    locked(() -> {
      if (state == State.LOADING) {
        // A peer's message can be queued before the load task of the handle it created (another
        // thread's find or message won the race to create it): load first rather than drop it.
        loadLocked();
      }
      if (state == State.DELETED || state == State.LOADING) {
        return;
      }
      PeerId peer = message.senderId();
      sync.add(peer, metadata);
      switch (message) {
        case RepoMessage.Sync s -> receiveSync(peer, s.data(), false);
        case RepoMessage.Request r -> receiveSync(peer, r.data(), true);
        case RepoMessage.DocUnavailable u -> sync.markUnavailable(peer);
        case RepoMessage.Ephemeral e -> { }
        case RepoMessage.RemoteHeadsChanged r -> { }
      }
      checkUnavailable();
    });
  }

  /** Saves what storage lacks, then sends every peer of the document what it lacks. */
  void flush() {
    locked(() -> {
      if (state != State.READY) {
        return;
      }
      save();
      for (PeerId peer : sync.peers()) {
        sendNext(peer);
      }
      sync.persistSyncStates();
    });
  }

  /** Saves what storage lacks (for {@link Repo#close}). */
  void saveNow() {
    locked(() -> {
      if (state == State.READY) {
        save();
        sync.persistSyncStates();
      }
    });
  }

  void deliverEphemeral(PeerId sender, Bytes data) {
    post(l -> l.ephemeral(this, sender, data));
    dispatch();
  }

  List<PeerId> peers() {
    lock.lock();
    try {
      return sync.peers();
    } finally {
      lock.unlock();
    }
  }

  void markDeleted() {
    locked(() -> {
      setState(State.DELETED);
      doc = Document.create();
    });
  }

  Bytes export() {
    return read(d -> Bytes.wrap(d.save()));
  }

  // ---- under the lock ----

  private void beginSyncLocked(PeerId peer, PeerMetadata metadata) {
    if (state == State.DELETED || state == State.LOADING || sync.has(peer)) {
      return;
    }
    sync.add(peer, metadata);
    sendNext(peer);
  }

  private void receiveSync(PeerId peer, Bytes data, boolean request) {
    Heads before = doc.heads();
    try {
      sync.receive(doc, peer, data.toByteArray(), request);
    } catch (LoamException e) {
      log.warn("document {}: ignoring a bad sync message from {}: {}", id, peer, e.getMessage());
      return;
    }
    Heads after = doc.heads();
    if (!after.equals(before)) {
      save(); // durable before any message whose heads include it goes out
      noteChange(before, peer);
      if (state != State.READY && !after.isEmpty()) {
        setState(State.READY);
      }
    }
    sendNext(peer);
    if (!after.equals(before)) {
      // The others may lack what this peer brought: tell them after the repo's debounce, as
      // automerge-repo throttles its sync with the other peers, so that a burst of changes goes
      // out as a few messages rather than one to every peer per incoming message.
      repo.scheduleFlush(this);
    }
    sync.persistSyncStates();
  }

  /**
   * Sends {@code peer} the next sync message, if any, after making sure storage holds every change
   * in our heads: the durability rule (a peer never sees heads we could lose). Saving is a no-op
   * when nothing changed since the last save.
   */
  private void sendNext(PeerId peer) {
    if (state == State.READY) {
      save();
    }
    sync.next(doc, peer, state == State.READY).ifPresent(repo::send);
  }

  private void checkUnavailable() {
    if (state == State.READY) {
      return;
    }
    boolean[] verdict = new boolean[1];
    List<PeerId> tell = sync.unavailableCheck(doc, verdict);
    for (PeerId p : tell) {
      repo.send(new RepoMessage.DocUnavailable(repo.peerId(), p, id));
    }
    if (verdict[0] && state == State.REQUESTING) {
      setState(State.UNAVAILABLE);
    }
  }

  private void save() {
    StorageSubsystem storage = repo.storage();
    if (storage != null && !doc.heads().isEmpty()) {
      storage.saveDoc(id, doc);
    }
  }

  private void noteChange(Heads before, @Nullable PeerId peer) {
    if (listeners.isEmpty()) {
      return;
    }
    Heads after = doc.heads();
    DocChange change = new DocChange(this, before, after, doc.diff(before, after), peer);
    post(l -> l.changed(change));
  }

  private void setState(State next) {
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

  /** Queues {@code event} for every listener; it runs at the next {@link #dispatch}. */
  private void post(Consumer<Listener> event) {
    events.add(() -> {
      for (Listener l : listeners) {
        try {
          event.accept(l);
        } catch (RuntimeException e) {
          log.error("document {}: a listener failed", id, e);
        }
      }
    });
  }

  /** Runs {@code body} under the lock, then hands queued events to listeners without it. */
  private void locked(Runnable body) {
    lock.lock();
    try {
      body.run();
    } finally {
      lock.unlock();
    }
    dispatch();
  }

  private void dispatch() {
    while (!events.isEmpty() && dispatching.compareAndSet(false, true)) {
      try {
        Runnable event;
        while ((event = events.poll()) != null) {
          try {
            event.run();
          } catch (RuntimeException e) {
            log.error("document {}: a listener failed", id, e);
          }
        }
      } finally {
        dispatching.set(false);
      }
    }
  }
}
