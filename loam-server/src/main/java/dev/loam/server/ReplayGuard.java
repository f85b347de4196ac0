package dev.loam.server;

import dev.loam.Bytes;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * Decides whether a signed request is fresh: its timestamp within {@link #WINDOW} of the server's
 * clock, and its nonce never seen before. A nonce is remembered until its request could no longer
 * pass the time check ({@code timestamp + WINDOW}), so memory stays bounded by the request rate
 * over two windows, and at most {@code maxNonces}: when that many are remembered, new requests are
 * refused until old ones expire (failing closed, never forgetting early). Thread-safe (one lock).
 *
 * <p>A server alone remembers its nonces in memory. Servers in a cluster also claim each fresh
 * nonce in the database they share ({@link Shared}), outside the lock: a request replayed to
 * another node is refused there too.
 */
final class ReplayGuard {
  /** How far a request's timestamp may be from the server's clock, either way. */
  static final Duration WINDOW = Duration.ofSeconds(60);

  /** Why a request is not fresh. */
  enum Verdict { FRESH, OUTSIDE_WINDOW, REPLAYED, FULL }

  private record Entry(Bytes nonce, long forgetAtMillis) {}

  /** Nonces remembered where every server of a cluster sees them. Thread-safe. */
  interface Shared {
    /**
     * Claims {@code nonce} until {@code forgetAtMillis}: true if no server holds it (or its time
     * is up), false if one does. Blocks on the database; throws {@code StorageException} if it
     * does not answer (the request is then refused).
     */
    boolean claim(Bytes nonce, long forgetAtMillis);
  }

  private final @org.jspecify.annotations.Nullable Shared shared;

  private final InstantSource clock;
  private final int maxNonces;
  private final Set<Bytes> seen = new HashSet<>();
  /** The remembered nonces in the order they expire (timestamps are within the window, so nearly in order). */
  private final ArrayDeque<Entry> order = new ArrayDeque<>();

  ReplayGuard(InstantSource clock, int maxNonces) {
    this(clock, maxNonces, null);
  }

  ReplayGuard(InstantSource clock, int maxNonces, @org.jspecify.annotations.Nullable Shared shared) {
    this.clock = clock;
    this.maxNonces = maxNonces;
    this.shared = shared;
  }

  /**
   * Checks and, if fresh, remembers the request's {@code nonce}; {@code timestamp} in milliseconds
   * since the epoch. With a {@link Shared} store, a nonce fresh here is then claimed there (blocking
   * on the database), and is a replay if another server holds it.
   */
  Verdict check(Bytes nonce, long timestamp) {
    Verdict local = checkLocally(nonce, timestamp);
    if (local != Verdict.FRESH || shared == null) {
      return local;
    }
    long window = WINDOW.toMillis();
    return shared.claim(nonce, Math.max(timestamp + window, clock.millis()) + window) ? Verdict.FRESH : Verdict.REPLAYED;
  }

  private synchronized Verdict checkLocally(Bytes nonce, long timestamp) {
    Instant now = clock.instant();
    long nowMillis = now.toEpochMilli();
    long window = WINDOW.toMillis();
    if (timestamp < nowMillis - window || timestamp > nowMillis + window) {
      return Verdict.OUTSIDE_WINDOW;
    }
    expire(nowMillis);
    if (seen.contains(nonce)) {
      return Verdict.REPLAYED;
    }
    if (seen.size() >= maxNonces) {
      return Verdict.FULL;
    }
    seen.add(nonce);
    // remembered until the request's timestamp falls out of the window; never before 2 windows from now
    order.addLast(new Entry(nonce, Math.max(timestamp + window, nowMillis) + window));
    return Verdict.FRESH;
  }

  /** Nonces remembered now. */
  synchronized int size() {
    return seen.size();
  }

  private void expire(long nowMillis) {
    // in arrival order; an entry behind a later-expiring head is kept a little longer, never forgotten early
    while (!order.isEmpty() && order.peekFirst().forgetAtMillis() <= nowMillis) {
      seen.remove(order.pollFirst().nonce());
    }
  }
}
