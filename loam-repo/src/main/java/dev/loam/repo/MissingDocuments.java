package dev.loam.repo;

import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.internal.StorageSubsystem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The handles a {@link Repo} opened because a peer named a document it did not have, kept only
 * while a connected peer waits for them. A peer's {@code request} or {@code sync} about a document
 * that is not in memory opens a handle, as automerge-repo does: the handle loads the document from
 * storage or learns nobody has it, answers the peer ({@code doc-unavailable} included) and, while
 * the peer stays, syncs the document to it if it arrives later. Such a handle is <em>missing</em>
 * until it becomes {@link DocHandle.State#READY} or a local {@link Repo#find} takes it; from then on
 * it is an ordinary handle, kept for the repo's life. A missing handle is held by the peers that
 * sent a message about it: it leaves the repo once none of them is connected, and each peer holds
 * at most {@code maxPerPeer} (past that, its oldest is let go: the peer leaves that document's
 * conversation, so it is not told if the document arrives later; it may ask again). So however
 * many ids peers invent, the repo keeps at most {@code maxPerPeer} missing handles per connected
 * peer, and none once they are gone.
 *
 * <p>Thread-safe. Implementation notes: whatever adds a handle to the repo's map, holds it or
 * drops it runs inside that map's {@code compute} for the document's id, so a message opening a
 * handle and the eviction of the same id never interleave; the holder sets are guarded by this
 * object's monitor, taken inside {@code compute} and never the other way round. Evictions run on
 * the handle's task queue, after the work queued before them, where its state does not move under
 * them; so a handle a peer's newest message pushed out of its cap leaves a moment later, once its
 * queue gets to it.
 */
final class MissingDocuments {
  private final ConcurrentHashMap<DocumentId, DocHandle> handles;
  private final Function<DocumentId, DocHandle> opener;
  private final @Nullable StorageSubsystem storage;
  private final int maxPerPeer;
  private final Predicate<PeerId> connected;
  /** The missing documents, each with the connected peers holding it (possibly none, until it settles). Guarded by this. */
  private final Map<DocumentId, Set<PeerId>> holders = new HashMap<>();
  /** What each peer holds, oldest first. Guarded by this. */
  private final Map<PeerId, LinkedHashSet<DocumentId>> held = new HashMap<>();

  /**
   * Missing handles in {@code handles}; {@code opener} makes a new {@link DocHandle.State#LOADING}
   * handle (not yet loading); {@code storage}'s bookkeeping of an evicted id is dropped. Only
   * peers {@code connected} says are connected hold handles: one whose disconnection was already
   * reported (or never connected) could never let go of them.
   */
  MissingDocuments(ConcurrentHashMap<DocumentId, DocHandle> handles, @Nullable StorageSubsystem storage, int maxPerPeer,
                   Predicate<PeerId> connected, Function<DocumentId, DocHandle> opener) {
    if (maxPerPeer < 1) {
      throw new IllegalArgumentException("maxPerPeer must be positive: " + maxPerPeer);
    }
    this.handles = handles;
    this.opener = opener;
    this.storage = storage;
    this.maxPerPeer = maxPerPeer;
    this.connected = connected;
  }

  /** The handle of {@code id} for a local caller: the one in memory (no longer missing: it is kept) or a new one, loading. */
  DocHandle forUser(DocumentId id) {
    DocHandle[] created = new DocHandle[1];
    DocHandle h = handles.compute(id, (k, v) -> {
      untrack(k);
      return v != null ? v : (created[0] = opener.apply(k));
    });
    if (created[0] != null) {
      h.tasks().execute(h::load);
    }
    return h;
  }

  /**
   * The handle of {@code id} for a message from {@code peer}: the one in memory or a new, missing
   * one, loading; a missing one is then held by {@code peer}. Call {@link #settle} on the handle's
   * queue after the message is taken in.
   */
  DocHandle forPeer(PeerId peer, DocumentId id) {
    DocHandle[] created = new DocHandle[1];
    DocumentId[] dropped = new DocumentId[1];
    DocHandle h = handles.compute(id, (k, v) -> {
      DocHandle out = v;
      synchronized (this) {
        if (out == null) {
          out = created[0] = opener.apply(k);
          holders.put(k, new HashSet<>());
        }
        if (holders.containsKey(k)) {
          dropped[0] = hold(peer, k);
        }
      }
      return out;
    });
    if (created[0] != null) {
      h.tasks().execute(h::load);
    }
    if (dropped[0] != null) {
      letGo(peer, dropped[0]);
    }
    return h;
  }

  /**
   * On {@code h}'s queue: a missing handle that became ready is kept from now on; one that is
   * neither ready nor loading and that no connected peer holds leaves the repo.
   */
  void settle(DocHandle h) {
    DocumentId id = h.documentId();
    boolean[] evicted = new boolean[1];
    handles.computeIfPresent(id, (k, v) -> {
      synchronized (this) {
        Set<PeerId> by = holders.get(k);
        if (v != h || by == null) {
          return v;
        }
        return switch (h.state()) {
          case READY, DELETED -> {
            untrack(k); // a document now: kept as any other
            yield v;
          }
          case LOADING -> v;
          case REQUESTING, UNAVAILABLE -> {
            if (!by.isEmpty()) {
              yield v;
            }
            holders.remove(k);
            evicted[0] = true;
            yield null;
          }
        };
      }
    });
    if (evicted[0] && storage != null) {
      storage.forget(id);
    }
  }

  /** {@code peer} disconnected: it holds nothing now; call after queueing its {@link DocHandle#endSync} on every handle. */
  void peerGone(PeerId peer) {
    List<DocumentId> released = new ArrayList<>();
    synchronized (this) {
      LinkedHashSet<DocumentId> ids = held.remove(peer);
      if (ids != null) {
        for (DocumentId id : ids) {
          Set<PeerId> by = holders.get(id);
          if (by != null) {
            by.remove(peer);
            released.add(id);
          }
        }
      }
    }
    for (DocumentId id : released) {
      DocHandle h = handles.get(id);
      if (h != null) {
        h.tasks().execute(() -> settle(h));
      }
    }
  }

  /** {@link Repo#delete} removed {@code id}'s handle: nothing is missing under that id any more. */
  void deleted(DocumentId id) {
    untrack(id);
  }

  /** Missing handles in the repo now. */
  synchronized int size() {
    return holders.size();
  }

  /** Missing handles {@code peer} holds now. */
  synchronized int heldBy(PeerId peer) {
    LinkedHashSet<DocumentId> ids = held.get(peer);
    return ids == null ? 0 : ids.size();
  }

  /** Makes {@code peer} hold missing {@code id} (as its newest); returns the id it let go to stay within the cap, if any. */
  private @Nullable DocumentId hold(PeerId peer, DocumentId id) {
    if (!connected.test(peer)) {
      return null; // checked under the monitor: a disconnection reported before is seen, one after lets go in peerGone
    }
    holders.get(id).add(peer);
    LinkedHashSet<DocumentId> ids = held.computeIfAbsent(peer, p -> new LinkedHashSet<>());
    ids.remove(id);
    ids.add(id);
    if (ids.size() <= maxPerPeer) {
      return null;
    }
    Iterator<DocumentId> oldest = ids.iterator();
    DocumentId out = oldest.next();
    oldest.remove();
    Set<PeerId> by = holders.get(out);
    if (by != null) {
      by.remove(peer);
    }
    return out;
  }

  /** On {@code id}'s queue: if it is still missing and {@code peer} did not take it up again, ends their conversation and settles it. */
  private void letGo(PeerId peer, DocumentId id) {
    DocHandle h = handles.get(id);
    if (h == null) {
      return;
    }
    h.tasks().execute(() -> {
      synchronized (this) {
        Set<PeerId> by = holders.get(id);
        if (by == null || by.contains(peer) || h.state() == DocHandle.State.READY) {
          return;
        }
      }
      h.endSync(peer);
      settle(h);
    });
  }

  private synchronized void untrack(DocumentId id) {
    Set<PeerId> by = holders.remove(id);
    if (by != null) {
      for (PeerId p : by) {
        LinkedHashSet<DocumentId> ids = held.get(p);
        if (ids != null) {
          ids.remove(id);
        }
      }
    }
  }
}
