package dev.loam.internal.codec;

/**
 * Ceilings a decoder enforces before it allocates, so that hostile input fails fast instead of
 * exhausting memory.
 *
 * @param maxOps the most operations one change or document chunk may hold
 * @param maxInflatedBytes the most bytes the compressed columns of one chunk may inflate to
 */
public record DecodeLimits(long maxOps, long maxInflatedBytes) {
  /** 16 Mi operations per chunk, 256 MiB of inflated columns per chunk. */
  public static final DecodeLimits DEFAULT = new DecodeLimits(1L << 24, Deflate.DEFAULT_LIMIT);

  public DecodeLimits {
    if (maxOps < 0 || maxInflatedBytes < 0) {
      throw new IllegalArgumentException("limits must not be negative");
    }
  }
}
