package dev.loam.sync;

import dev.loam.LoamException;

/**
 * A peer's message was refused because accepting it would pass one of the {@link SyncLimits}.
 * The document and the sync state are left as they were; a caller usually drops the peer.
 */
public final class SyncLimitException extends LoamException {
  /** Which limit was hit. */
  public enum Limit {
    MESSAGE_BYTES,
    QUEUED_CHANGES,
    DOCUMENT_BYTES
  }

  private final Limit limit;
  private final long value;
  private final long max;

  /** {@code limit} was passed: {@code value} where at most {@code max} is allowed. */
  public SyncLimitException(Limit limit, long value, long max) {
    super(switch (limit) {
      case MESSAGE_BYTES -> "sync message of " + value + " bytes; the limit is " + max;
      case QUEUED_CHANGES -> value + " changes would wait for missing dependencies; the limit is " + max;
      case DOCUMENT_BYTES -> "the document would reach " + value + " bytes of changes; the limit is " + max;
    });
    this.limit = limit;
    this.value = value;
    this.max = max;
  }

  /** Which limit was hit. */
  public Limit limit() {
    return limit;
  }

  /** The size that would have been reached. */
  public long value() {
    return value;
  }

  /** The configured maximum. */
  public long max() {
    return max;
  }
}
