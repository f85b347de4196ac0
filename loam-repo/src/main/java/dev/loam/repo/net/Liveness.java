package dev.loam.repo.net;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * One connection's evidence that its peer is still there: when a frame last came from it, whether
 * the connection is busy handling one (and so not reading), and whether a ping is still being
 * written. Thread-safe: the socket's listener records frames while the ping timer asks.
 */
final class Liveness {
  private final long timeoutNanos;
  private final LongSupplier nanoClock;
  private final AtomicBoolean pinging = new AtomicBoolean();
  private volatile long lastHeard;
  private volatile boolean handling;

  /** Evidence judged against {@code timeout}, on {@code nanoClock} (such as {@code System::nanoTime}); heard from now. */
  Liveness(Duration timeout, LongSupplier nanoClock) {
    this.timeoutNanos = timeout.toNanos();
    this.nanoClock = nanoClock;
    this.lastHeard = nanoClock.getAsLong();
  }

  /**
   * Checks the two liveness options of a client together.
   *
   * @throws IllegalArgumentException unless both are positive and the timeout spans at least two intervals
   */
  static void validate(Duration pingInterval, Duration livenessTimeout) {
    if (!pingInterval.isPositive() || !livenessTimeout.isPositive()) {
      throw new IllegalArgumentException("pingInterval (" + pingInterval + ") and livenessTimeout (" + livenessTimeout
          + ") must be positive");
    }
    if (livenessTimeout.compareTo(pingInterval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("livenessTimeout " + livenessTimeout + " must be at least two ping intervals ("
          + pingInterval + "), or one late pong would drop a healthy connection");
    }
  }

  /** Records a frame from the peer (a message fragment, a ping, a pong, a close). */
  void heard() {
    lastHeard = nanoClock.getAsLong();
  }

  /** Records a whole message that is now being handled: nothing is read until {@link #handled}. */
  void handling() {
    lastHeard = nanoClock.getAsLong();
    handling = true;
  }

  /** Records the end of handling a message; the peer's silence counts again from now. */
  void handled() {
    lastHeard = nanoClock.getAsLong();
    handling = false;
  }

  /**
   * How long the peer has been silent, in milliseconds, if that reached the timeout; empty while
   * a message is being handled, since the connection does not read meanwhile and silence proves nothing.
   */
  OptionalLong overdueMillis() {
    long silent = nanoClock.getAsLong() - lastHeard;
    return handling || silent < timeoutNanos ? OptionalLong.empty() : OptionalLong.of(TimeUnit.NANOSECONDS.toMillis(silent));
  }

  /** Claims the right to send a ping; false while the previous one is still being written. */
  boolean startPing() {
    return pinging.compareAndSet(false, true);
  }

  /** Releases the claim of {@link #startPing} once the ping's write has ended, either way. */
  void pingEnded() {
    pinging.set(false);
  }
}
