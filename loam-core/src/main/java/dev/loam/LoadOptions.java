package dev.loam;

/**
 * How {@link Document#load(byte[], LoadOptions)} guards itself against hostile input: ceilings
 * that a file must stay under before the decoder allocates. The document keeps them for its later
 * {@code loadIncremental} and {@code applyChanges} calls.
 *
 * <p>Immutable and thread-safe.
 */
public final class LoadOptions {
  /** 256 MiB of inflated columns per chunk and 16 Mi ops per chunk. */
  public static final LoadOptions DEFAULT = builder().build();

  private final long maxInflatedBytes;
  private final long maxOpsPerChunk;
  private final boolean deferVerification;

  private LoadOptions(Builder b) {
    this.maxInflatedBytes = b.maxInflatedBytes;
    this.maxOpsPerChunk = b.maxOpsPerChunk;
    this.deferVerification = b.deferVerification;
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options. */
  public Builder newBuilder() {
    return new Builder().maxInflatedBytes(maxInflatedBytes).maxOpsPerChunk(maxOpsPerChunk)
        .deferVerification(deferVerification);
  }

  /** The most bytes the compressed columns (or deflated change) of one chunk may inflate to. */
  public long maxInflatedBytes() {
    return maxInflatedBytes;
  }

  /** The most operations one change or document chunk may hold. */
  public long maxOpsPerChunk() {
    return maxOpsPerChunk;
  }

  /** Whether a document file's change hashes are checked on first need rather than during the load. */
  public boolean defersVerification() {
    return deferVerification;
  }

  /** Builds {@link LoadOptions}. */
  public static final class Builder {
    private long maxInflatedBytes = 256L << 20;
    private long maxOpsPerChunk = 1L << 24;
    private boolean deferVerification;

    private Builder() {}

    /** The most bytes of inflated columns one chunk may hold (default 256 MiB); not negative. */
    public Builder maxInflatedBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("maxInflatedBytes must not be negative: " + bytes);
      }
      this.maxInflatedBytes = bytes;
      return this;
    }

    /**
     * With {@code true}, loading a file that starts with a document chunk builds the document
     * without re-encoding and hashing its changes: reading is possible at once, and {@link
     * Document#heads()} gives the heads the file stores. The hashes are computed, and checked
     * against those heads, the first time anything needs them (committing, saving, syncing,
     * applying, listing or looking up changes). If they do not match, that call throws a {@link
     * DecodeException} and so does every later call that needs hashes; what was read before came
     * from an unverified file. Default {@code false}: {@code load} verifies before it returns.
     */
    public Builder deferVerification(boolean defer) {
      this.deferVerification = defer;
      return this;
    }

    /** The most operations one chunk may hold (default 16 Mi); not negative. */
    public Builder maxOpsPerChunk(long ops) {
      if (ops < 0) {
        throw new IllegalArgumentException("maxOpsPerChunk must not be negative: " + ops);
      }
      this.maxOpsPerChunk = ops;
      return this;
    }

    /** The options set on this builder. */
    public LoadOptions build() {
      return new LoadOptions(this);
    }
  }
}
