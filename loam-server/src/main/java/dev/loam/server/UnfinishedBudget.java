package dev.loam.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The server-wide budget of bytes held for unfinished inbound messages
 * ({@link ServerLimits#maxUnfinishedBytes()}): each connection reserves a fragment's bytes before
 * keeping them and releases them once its message is handled or its socket closes. Thread-safe
 * (one atomic counter).
 *
 * <p>Implementation notes. A message is "small" while its size so far is at most
 * {@link #SMALL_MESSAGE_BYTES}; small messages may fill the whole budget, larger ones only up to
 * {@code max - max/8}. So however many clients hold huge unfinished messages, at least an eighth
 * of the budget stays for the ordinary sync messages of other clients. The sum of reservations
 * never exceeds {@code max}.
 */
final class UnfinishedBudget {
  /** Messages up to this size may use the headroom kept free of large messages. */
  static final long SMALL_MESSAGE_BYTES = 1 << 20;

  private final long max;
  private final long largeMax;
  private final AtomicLong reserved = new AtomicLong();

  UnfinishedBudget(long max) {
    this.max = max;
    this.largeMax = max - max / 8;
  }

  /**
   * Reserves {@code n} more bytes for a message that already holds {@code held}; false (nothing
   * reserved) when they do not fit.
   */
  boolean reserve(long n, long held) {
    long limit = held + n <= SMALL_MESSAGE_BYTES ? max : largeMax;
    while (true) {
      long now = reserved.get();
      if (now + n > limit) {
        return false;
      }
      if (reserved.compareAndSet(now, now + n)) {
        return true;
      }
    }
  }

  void release(long n) {
    if (n > 0) {
      reserved.addAndGet(-n);
    }
  }

  /** Bytes reserved now. */
  long reserved() {
    return reserved.get();
  }
}
