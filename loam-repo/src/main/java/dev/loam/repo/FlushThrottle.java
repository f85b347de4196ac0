package dev.loam.repo;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * When a document's changes go out to its peers ({@link Repo#scheduleFlush}): at once if its last
 * flush began at least one window ago, else when the window ends, with at most one flush waiting
 * (it carries every change made meanwhile). So a lone change is synced without delay and a burst
 * goes out as one message per peer and window. automerge-repo throttles its sync with other peers
 * the same way. Thread-safe.
 */
final class FlushThrottle {
  private final AtomicBoolean waiting = new AtomicBoolean();
  private volatile long lastBegan;
  private volatile boolean began;

  /**
   * Claims the next flush for a change made at {@code now} (nano clock): -1 if a flush already
   * waits (this change goes out with it), else how many nanoseconds the claimed flush waits (0: none).
   */
  long claim(long windowNanos, long now) {
    if (!waiting.compareAndSet(false, true)) {
      return -1;
    }
    return began ? Math.max(0, lastBegan + windowNanos - now) : 0;
  }

  /** The claimed flush begins at {@code now}: a change from here on claims the next one. */
  void begin(long now) {
    lastBegan = now;
    began = true;
    waiting.set(false);
  }
}
