package dev.loam.repo;

import dev.loam.repo.id.PeerId;
import dev.loam.repo.protocol.RepoMessage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ephemeral sessions a repo has heard, for deduplication: per sender and session the highest
 * count seen, at most {@value #MAX} sessions (past that all are forgotten, so a hostile peer's
 * fresh sessions cost no more memory). Thread-safe.
 */
final class EphemeralSessions {
  private static final Logger log = LoggerFactory.getLogger(EphemeralSessions.class);
  /** Sessions remembered at most. */
  static final int MAX = 10_000;

  private final ConcurrentHashMap<String, Long> seen = new ConcurrentHashMap<>();

  /** True the first time {@code e}'s sender, session and count are seen with this count or a higher one. */
  boolean fresh(RepoMessage.Ephemeral e) {
    String key = e.senderId().value() + ":" + e.sessionId();
    if (seen.size() >= MAX && !seen.containsKey(key)) {
      log.warn("over {} ephemeral sessions; forgetting them (a repeat may be delivered once more)", MAX);
      seen.clear();
    }
    boolean[] fresh = new boolean[1];
    seen.compute(key, (k, last) -> {
      if (last == null || e.count() > last) {
        fresh[0] = true;
        return e.count();
      }
      return last;
    });
    return fresh[0];
  }

  /** Forgets the sessions of {@code peer}, which disconnected (relayed sessions of third parties stay). */
  void forget(PeerId peer) {
    String prefix = peer.value() + ":";
    seen.keySet().removeIf(k -> k.startsWith(prefix));
  }

  /** How many sessions are remembered now. */
  int size() {
    return seen.size();
  }
}
