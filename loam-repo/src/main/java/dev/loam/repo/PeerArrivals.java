package dev.loam.repo;

import dev.loam.repo.id.PeerId;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** The futures of {@link Repo#whenPeerConnected} still waiting for a peer they accept. Thread-safe. */
final class PeerArrivals {
  private record Waiter(Predicate<? super PeerId> accepts, CompletableFuture<PeerId> future) {}

  private final CopyOnWriteArrayList<Waiter> waiting = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  /** A future of a peer {@code accepts} takes: one of {@code connected}, else the next to {@link #arrived}. */
  CompletableFuture<PeerId> await(Predicate<? super PeerId> accepts, Collection<PeerId> connected) {
    Waiter w = new Waiter(accepts, new CompletableFuture<>());
    waiting.add(w);
    // after registering, so a peer that arrives meanwhile is seen here or by arrived()
    for (PeerId p : connected) {
      if (accepts.test(p)) {
        w.future().complete(p);
      }
    }
    if (closed) {
      w.future().completeExceptionally(new IllegalStateException("the repo is closed"));
    }
    if (w.future().isDone()) {
      waiting.remove(w);
    }
    return w.future().copy();
  }

  /** {@code peer} connected: completes the waiters that accept it. */
  void arrived(PeerId peer) {
    for (Waiter w : waiting) {
      if (w.accepts().test(peer) && w.future().complete(peer)) {
        waiting.remove(w);
      }
    }
  }

  /** The repo closed: fails every waiter, now and later. */
  void close() {
    closed = true;
    for (Waiter w : waiting) {
      w.future().completeExceptionally(new IllegalStateException("the repo is closed"));
    }
    waiting.clear();
  }
}
