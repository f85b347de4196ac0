package dev.loam.bench;

import dev.loam.Bytes;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.sync.Have;
import dev.loam.sync.Sync;
import dev.loam.sync.SyncMessage;
import dev.loam.sync.SyncState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The sync replies of many read-only peers of one document, each computed once: a reader's
 * document and sync state are functions of the messages it has received (it makes no changes),
 * so readers that received the same messages are in the same state and answer the same bytes
 * with the same bytes. The readers' histories form a trie; a node (a {@link Position}) holds a
 * real {@link Document} and {@link SyncState} reached by those messages, and a miss runs
 * {@link Sync#receiveSyncMessage} and {@link Sync#generateSyncMessage} on a copy of them (or on
 * the node itself when its last reader is the one leaving it). A message that carries no changes
 * leaves the document as it is, so the next node shares it; a document is copied only when
 * changes arrive at one that another node shares. Nodes no reader is at are dropped.
 * Every reply is thus exactly what a stock client with that history sends.
 *
 * <p>Histories that differ (the server's messages to its readers depend on when each reader's
 * last answer arrived) often lead to the same state again: a computed node equal to a live one
 * is replaced by it, so that such readers share steps again. Equal means the same document heads
 * with no change queued for a missing dependency (so the same changes) and a sync state equal in
 * every field {@link SyncState} shows; the one it does not show, the pending sync-reset flag, is
 * set only by {@link SyncState#setReadOnly}, which readers never call.
 *
 * <p>Thread-safe: one lock per instance (one document's readers).
 */
final class SharedReaders {
  private static final Bytes START = Bytes.wrap(new byte[0]);

  /** A document and how many positions hold it; changed only while one does. Guarded by the owner's lock. */
  private static final class SharedDoc {
    final Document doc;
    int holders;

    SharedDoc(Document doc) {
      this.doc = doc;
    }
  }

  /** Where one or more readers are: the node of the messages they received. Guarded by the owner's lock. */
  static final class Position {
    private final @Nullable Position parent;
    private final Bytes key;
    private @Nullable SharedDoc doc;
    private @Nullable SyncState state;
    private final Map<Bytes, Step> next = new HashMap<>(2);
    private int readers;
    private @Nullable Summary summary;

    private Position(@Nullable Position parent, Bytes key, SharedDoc doc, SyncState state) {
      this.parent = parent;
      this.key = key;
      this.doc = doc;
      this.state = state;
      doc.holders++;
    }
  }

  /**
   * One transition: the reader's new position, the sync message it answers with (encoded), the
   * heads of the message it received, and whether its document holds them afterwards.
   */
  record Step(Position to, Optional<Bytes> reply, List<ChangeHash> theirHeads, boolean holdsTheirHeads) {}

  /** What determines a reader's replies from now on (see the class comment). */
  private record Summary(List<ChangeHash> heads, List<ChangeHash> shared, List<ChangeHash> lastSent,
                         Optional<List<ChangeHash>> theirHeads, Optional<List<ChangeHash>> theirNeed,
                         Optional<List<Have>> theirHave, Set<ChangeHash> sent, List<ChangeHash> sentDocument,
                         int flags) {}

  private final Map<Summary, Position> live = new HashMap<>();
  private final Position root = new Position(null, START, new SharedDoc(Document.create()), new SyncState());
  private long transitions;
  private long misses;
  private int held = 1;
  private long merged;

  SharedReaders() {
    root.readers = 1; // pinned: every reader starts here
  }

  /** A new reader's first step: its opening message (a request for the document). */
  synchronized Step start() {
    return step(root, START, null);
  }

  /** The reader at {@code at} receives the sync message {@code message}: where it goes and what it answers. */
  synchronized Step receive(Position at, byte[] message) {
    return step(at, Bytes.wrap(message), message);
  }

  /** A reader at {@code at} goes away (its connection closed). */
  synchronized void leave(Position at) {
    release(at);
  }

  /** Transitions taken, transitions computed (misses), positions held now, and computed ones merged into a live one. */
  synchronized long[] counts() {
    return new long[] {transitions, misses, held, merged};
  }

  private Step step(Position at, Bytes key, byte @Nullable [] message) {
    transitions++;
    Step s = at.next.get(key);
    if (s == null || s.to().doc == null) { // never taken, or taken to a position since dropped
      misses++;
      s = compute(at, key, message);
      if (at.doc != null) { // not consumed: later readers at `at` take the same step
        at.next.put(key, s);
      }
    }
    s.to().readers++;
    if (at != root) {
      release(at);
    }
    return s;
  }

  private Step compute(Position at, Bytes key, byte @Nullable [] message) {
    SyncMessage in = message == null ? null : SyncMessage.decode(message);
    boolean last = at.readers == 1 && at != root; // the only reader leaves it: continue from it in place
    SyncState state = last ? at.state : at.state.copy();
    SharedDoc shared = at.doc;
    if (in != null && !in.changes().isEmpty() && !(last && shared.holders == 1)) {
      shared = new SharedDoc(shared.doc.fork()); // changes arrive at a document another position holds
    }
    shared.holders++; // held for the new position while `at` is dropped
    if (last) {
      drop(at);
    }
    Document doc = shared.doc;
    List<ChangeHash> theirHeads = List.of();
    if (in != null) {
      Sync.receiveSyncMessage(doc, state, in);
      theirHeads = in.heads();
    }
    Optional<Bytes> reply = Sync.generateSyncMessage(doc, state).map(m -> Bytes.wrap(m.encode()));
    boolean holds = doc.heads().hashes().containsAll(theirHeads);
    Optional<Summary> summary = summary(doc, state);
    Position to = summary.map(live::get).orElse(null);
    shared.holders--;
    if (to != null) {
      merged++;
    } else {
      to = new Position(at, key, shared, state);
      held++;
      if (summary.isPresent()) {
        to.summary = summary.get();
        live.put(summary.get(), to);
      }
    }
    return new Step(to, reply, theirHeads, holds);
  }

  /** The state's summary, or empty when the document holds changes waiting for a dependency. */
  private static Optional<Summary> summary(Document doc, SyncState state) {
    dev.loam.Heads heads = doc.heads();
    if (!doc.missingDeps(heads).isEmpty()) {
      return Optional.empty();
    }
    int flags = (state.inFlight() ? 1 : 0) | (state.haveResponded() ? 2 : 0) | (state.peerSupportsV2() ? 4 : 0)
        | (state.peerSupportsSyncReset() ? 8 : 0) | (state.isReadOnly() ? 16 : 0) | (state.isPeerReadOnly() ? 32 : 0);
    return Optional.of(new Summary(heads.hashes(), state.sharedHeads(), state.lastSentHeads(), state.theirHeads(),
        state.theirNeed(), state.theirHave(), Set.copyOf(state.sentHashes()), state.sentDocumentHeads(), flags));
  }

  private void release(Position p) {
    if (--p.readers == 0 && p.doc != null) {
      drop(p);
    }
  }

  /** Forgets a position: no reader is at it, or its last reader continues from its document in place. */
  private void drop(Position p) {
    p.doc.holders--;
    p.doc = null;
    p.state = null;
    p.next.clear();
    held--;
    if (p.summary != null) {
      live.remove(p.summary, p);
    }
    Position parent = p.parent;
    if (parent != null) {
      Step s = parent.next.get(p.key);
      if (s != null && s.to() == p) {
        parent.next.remove(p.key);
      }
    }
  }
}
