package dev.loam.repo;

import dev.loam.repo.id.PeerId;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The handles each peer is in a conversation with, so that a peer's departure (or reconnection)
 * is told to those handles alone rather than to every open document: a server holds many
 * documents and many connections, and telling every handle of every connection and disconnection
 * cost a task per open document per connection.
 *
 * <p>A handle {@linkplain #enrolIfCurrent enrols} itself on its queue just before it takes a peer
 * into its conversation, and only if the connection the peer's message (or the announcement) came
 * on is still the peer's; its {@link DocSynchronizer} {@linkplain #leave removes} it when the
 * conversation ends. The repo {@linkplain #end ends} a departed or reconnected peer's
 * conversations by taking its set, after replacing or removing the peer's connection, and queueing
 * {@code endSync} on each handle in it. So a handle holding a peer is in its set or has its
 * {@code endSync} queued; a message still queued from a connection that has ended finds the
 * connection replaced and is dropped, whichever ran first.
 *
 * <p>Thread-safe: each set is changed only inside the map's per-key operations, and not at all
 * once taken.
 */
final class Conversations {
  private final ConcurrentHashMap<PeerId, Set<DocHandle>> byPeer = new ConcurrentHashMap<>();
  private final Function<PeerId, ? extends @Nullable Object> connection;

  /** {@code connection} gives a peer's current connection (a new object per connection), or null if it has none. */
  Conversations(Function<PeerId, ? extends @Nullable Object> connection) {
    this.connection = connection;
  }

  private void enrol(PeerId peer, DocHandle handle) {
    byPeer.compute(peer, (p, set) -> {
      Set<DocHandle> s = set == null ? new HashSet<>() : set;
      s.add(handle);
      return s;
    });
  }

  /** {@code handle} ended its conversation with {@code peer}. */
  void leave(PeerId peer, DocHandle handle) {
    byPeer.computeIfPresent(peer, (p, set) -> {
      set.remove(handle);
      return set.isEmpty() ? null : set;
    });
  }

  /**
   * For a handle about to take {@code peer} into its conversation, on a message or an announcement
   * that came {@code from} a connection (null: before the peer announced itself): enrols it, then
   * looks whether that connection is still the peer's (if the peer left or reconnected, its
   * departure may have taken the set before the handle joined it and will not tell the handle).
   * False, and not enrolled, if it is not: nobody is there to answer.
   */
  boolean enrolIfCurrent(PeerId peer, @Nullable Object from, DocHandle handle) {
    enrol(peer, handle);
    if (connection.apply(peer) == from) {
      return true;
    }
    leave(peer, handle);
    return false;
  }

  /**
   * Ends {@code peer}'s conversations: takes its set and queues {@code endSync} on each handle in
   * it. Call after removing the peer from the repo's connected peers.
   */
  void end(PeerId peer) {
    Set<DocHandle> set = byPeer.remove(peer);
    if (set != null) {
      for (DocHandle h : set) {
        h.tasks().execute(() -> h.endSync(peer));
      }
    }
  }

  /** {@code peer}'s current connection, or null (for tests that hand a handle a message themselves). */
  @Nullable Object connectionOf(PeerId peer) {
    return connection.apply(peer);
  }

  /** How many handles {@code peer} is in a conversation with (for tests: a departed peer leaves nothing behind). */
  int handlesOf(PeerId peer) {
    int[] n = {0};
    byPeer.computeIfPresent(peer, (p, set) -> {
      n[0] = set.size(); // read under the key's lock, where the set changes
      return set;
    });
    return n[0];
  }
}
