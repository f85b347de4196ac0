package dev.loam.repo;

import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.repo.id.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiPredicate;

/**
 * The futures of {@link DocHandle#whenPeerHas} and {@link DocHandle#whenSyncedWith} still waiting
 * for a peer's report. Not thread-safe: only the handle's task queue uses it.
 */
final class PeerWaiters {
  /** Completes {@code future} once {@code holds} is true of the document and the peer's reported heads. */
  private record Waiter(PeerId peer, BiPredicate<Document, Heads> holds, CompletableFuture<Heads> future) {}

  private final List<Waiter> waiting = new ArrayList<>();

  boolean isEmpty() {
    return waiting.isEmpty();
  }

  void add(PeerId peer, BiPredicate<Document, Heads> holds, CompletableFuture<Heads> future) {
    waiting.add(new Waiter(peer, holds, future));
  }

  /**
   * Removes the waiters whose condition holds of {@code doc} (under the handle's memory lock) and
   * {@code reported}, queueing their completions on {@code events}.
   */
  void check(Document doc, Map<PeerId, Heads> reported, EventQueue events) {
    waiting.removeIf(w -> {
      Heads theirs = reported.get(w.peer());
      if (theirs == null || !w.holds().test(doc, theirs)) {
        return false;
      }
      events.add(() -> w.future().complete(theirs));
      return true;
    });
  }

  /** Fails every waiter with {@code failure} (queued on {@code events}). */
  void failAll(RuntimeException failure, EventQueue events) {
    for (Waiter w : waiting) {
      events.add(() -> w.future().completeExceptionally(failure));
    }
    waiting.clear();
  }

  /**
   * Whether {@code theirs} covers {@code wanted} in {@code doc}'s history: each wanted hash is one of
   * theirs, or an ancestor of one of theirs that this document knows. The second test walks only
   * the history since the oldest such change ({@link Document#includes}), so it stays cheap
   * however long the history is, and runs only when the first fails.
   */
  static boolean covers(Document doc, Heads theirs, Heads wanted) {
    List<ChangeHash> missing = new ArrayList<>();
    for (ChangeHash h : wanted) {
      if (!theirs.contains(h)) {
        missing.add(h);
      }
    }
    return missing.isEmpty() || doc.includes(theirs, Heads.of(missing));
  }
}
