package dev.loam.sync;

/**
 * Bounds on what one peer's messages may make us hold, so a hostile or broken peer meets a
 * {@link SyncLimitException} instead of exhausting memory. Immutable and thread-safe.
 */
public final class SyncLimits {
  /** 64 MiB messages, 10,000 changes waiting for dependencies, 1 GiB of change bytes per document. */
  public static final SyncLimits DEFAULT = builder().build();

  private final int maxMessageBytes;
  private final int maxQueuedChanges;
  private final long maxDocumentBytes;

  private SyncLimits(Builder b) {
    this.maxMessageBytes = b.maxMessageBytes;
    this.maxQueuedChanges = b.maxQueuedChanges;
    this.maxDocumentBytes = b.maxDocumentBytes;
  }

  /** A builder with the defaults of {@link #DEFAULT}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these limits. */
  public Builder newBuilder() {
    return new Builder().maxMessageBytes(maxMessageBytes).maxQueuedChanges(maxQueuedChanges)
        .maxDocumentBytes(maxDocumentBytes);
  }

  /** The largest encoded message accepted. */
  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  /** The most changes that may wait for missing dependencies after a message is applied. */
  public int maxQueuedChanges() {
    return maxQueuedChanges;
  }

  /**
   * The most bytes of change chunks the document may hold; a message is refused when the
   * document's change bytes plus the message's change bytes would pass it.
   */
  public long maxDocumentBytes() {
    return maxDocumentBytes;
  }

  /** Builds {@link SyncLimits}. Not thread-safe. */
  public static final class Builder {
    private int maxMessageBytes = 64 << 20;
    private int maxQueuedChanges = 10_000;
    private long maxDocumentBytes = 1L << 30;

    private Builder() {}

    /** The largest encoded message accepted; positive. */
    public Builder maxMessageBytes(int n) {
      this.maxMessageBytes = positive(n, "maxMessageBytes");
      return this;
    }

    /** The most changes that may wait for missing dependencies; not negative. */
    public Builder maxQueuedChanges(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("maxQueuedChanges must not be negative: " + n);
      }
      this.maxQueuedChanges = n;
      return this;
    }

    /** The most bytes of change chunks the document may hold; positive. */
    public Builder maxDocumentBytes(long n) {
      this.maxDocumentBytes = positive(n, "maxDocumentBytes");
      return this;
    }

    private static <T extends Number> T positive(T n, String what) {
      if (n.longValue() <= 0) {
        throw new IllegalArgumentException(what + " must be positive: " + n);
      }
      return n;
    }

    /** The limits set on this builder. */
    public SyncLimits build() {
      return new SyncLimits(this);
    }
  }
}
