package dev.loam.bench;

import dev.loam.Bytes;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.sync.Sync;
import dev.loam.sync.SyncMessage;
import dev.loam.sync.SyncState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The sync replies of many read-only peers of one document, each computed once: a reader's
 * document and sync state are functions of the messages it has received (it makes no changes),
 * so readers that received the same messages are in the same state and answer the same bytes
 * with the same bytes. The readers' histories form a trie; a node (a {@link Position}) holds a
 * real {@link Document} and {@link SyncState} reached by those messages, and a miss runs
 * {@link Sync#receiveSyncMessage} and {@link Sync#generateSyncMessage} on a copy of them (or on
 * the node itself when its last reader is the one leaving it). Nodes no reader is at are dropped.
 * Every reply is thus exactly what a stock client with that history sends.
 *
 * <p>Thread-safe: one lock per instance (one document's readers).
 */
final class SharedReaders {
  private static final Bytes START = Bytes.wrap(new byte[0]);

  /** Where one or more readers are: the node of the messages they received. Guarded by the owner's lock. */
  static final class Position {
    private final @Nullable Position parent;
    private final Bytes key;
    private @Nullable Document doc;
    private @Nullable SyncState state;
    private final Map<Bytes, Step> next = new HashMap<>(2);
    private int readers;

    private Position(@Nullable Position parent, Bytes key, Document doc, SyncState state) {
      this.parent = parent;
      this.key = key;
      this.doc = doc;
      this.state = state;
    }
  }

  /**
   * One transition: the reader's new position, the sync message it answers with (encoded), the
   * heads of the message it received, and whether its document holds them afterwards.
   */
  record Step(Position to, Optional<Bytes> reply, List<ChangeHash> theirHeads, boolean holdsTheirHeads) {}

  private final Position root = new Position(null, START, Document.create(), new SyncState());
  private long transitions;
  private long misses;
  private int live = 1;

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

  /** Transitions taken, transitions computed (misses), and positions held now. */
  synchronized long[] counts() {
    return new long[] {transitions, misses, live};
  }

  private Step step(Position at, Bytes key, byte @Nullable [] message) {
    transitions++;
    Step s = at.next.get(key);
    if (s == null) {
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
    Document doc;
    SyncState state;
    if (at.readers == 1 && at != root) { // the last reader leaves it: continue in place
      doc = at.doc;
      state = at.state;
      at.doc = null;
      at.state = null;
      at.next.clear();
      detach(at);
      live--;
    } else {
      doc = at.doc.fork();
      state = at.state.copy();
    }
    List<ChangeHash> theirHeads = List.of();
    if (message != null) {
      SyncMessage in = SyncMessage.decode(message);
      Sync.receiveSyncMessage(doc, state, in);
      theirHeads = in.heads();
    }
    Optional<Bytes> reply = Sync.generateSyncMessage(doc, state).map(m -> Bytes.wrap(m.encode()));
    boolean holds = doc.heads().hashes().containsAll(theirHeads);
    live++;
    return new Step(new Position(at, key, doc, state), reply, theirHeads, holds);
  }

  private void release(Position p) {
    if (--p.readers == 0) {
      detach(p);
      if (p.doc != null) {
        live--;
      }
      p.doc = null;
      p.state = null;
      p.next.clear();
    }
  }

  private void detach(Position p) {
    Position parent = p.parent;
    if (parent != null) {
      Step s = parent.next.get(p.key);
      if (s != null && s.to() == p) {
        parent.next.remove(p.key);
      }
    }
  }
}
