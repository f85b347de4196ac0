package dev.loam.server;

import java.util.function.LongSupplier;

/**
 * A token bucket over messages and bytes: {@link #delayNanos} says how long to wait before the
 * next message may be read. The bucket holds one second's worth, so bursts up to the rate pass at
 * once. Not thread-safe: one connection's reader owns it. Time comes from the given nano clock.
 *
 * <p>A message larger than the byte bucket (possible when {@code bytesPerSecond} is below the
 * message size limit) takes the bucket into debt; the wait pays the debt back.
 */
final class RateLimiter {
  private final double messagesPerNano;
  private final double bytesPerNano;
  private final double maxMessages;
  private final double maxBytes;
  private final LongSupplier nanoClock;
  private double messages;
  private double bytes;
  private long last;

  RateLimiter(double messagesPerSecond, double bytesPerSecond, LongSupplier nanoClock) {
    this.messagesPerNano = messagesPerSecond / 1e9;
    this.bytesPerNano = bytesPerSecond / 1e9;
    this.maxMessages = Math.max(1, messagesPerSecond);
    this.maxBytes = Math.max(1, bytesPerSecond);
    this.nanoClock = nanoClock;
    this.messages = maxMessages;
    this.bytes = maxBytes;
    this.last = nanoClock.getAsLong();
  }

  /** Takes one message of {@code size} bytes; returns how many nanoseconds to wait before reading the next. */
  long delayNanos(long size) {
    long now = nanoClock.getAsLong();
    long elapsed = now - last;
    last = now;
    messages = Math.min(maxMessages, messages + elapsed * messagesPerNano) - 1;
    bytes = Math.min(maxBytes, bytes + elapsed * bytesPerNano) - size;
    double wait = 0;
    if (messages < 0) {
      wait = Math.max(wait, -messages / messagesPerNano);
    }
    if (bytes < 0) {
      wait = Math.max(wait, -bytes / bytesPerNano);
    }
    return (long) Math.ceil(wait);
  }
}
