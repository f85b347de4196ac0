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

  private LoadOptions(Builder b) {
    this.maxInflatedBytes = b.maxInflatedBytes;
    this.maxOpsPerChunk = b.maxOpsPerChunk;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder newBuilder() {
    return new Builder().maxInflatedBytes(maxInflatedBytes).maxOpsPerChunk(maxOpsPerChunk);
  }

  /** The most bytes the compressed columns (or deflated change) of one chunk may inflate to. */
  public long maxInflatedBytes() {
    return maxInflatedBytes;
  }

  /** The most operations one change or document chunk may hold. */
  public long maxOpsPerChunk() {
    return maxOpsPerChunk;
  }

  /** Builds {@link LoadOptions}. */
  public static final class Builder {
    private long maxInflatedBytes = 256L << 20;
    private long maxOpsPerChunk = 1L << 24;

    private Builder() {}

    public Builder maxInflatedBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("maxInflatedBytes must not be negative: " + bytes);
      }
      this.maxInflatedBytes = bytes;
      return this;
    }

    public Builder maxOpsPerChunk(long ops) {
      if (ops < 0) {
        throw new IllegalArgumentException("maxOpsPerChunk must not be negative: " + ops);
      }
      this.maxOpsPerChunk = ops;
      return this;
    }

    public LoadOptions build() {
      return new LoadOptions(this);
    }
  }
}
