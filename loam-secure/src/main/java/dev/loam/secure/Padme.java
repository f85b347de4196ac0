package dev.loam.secure;

/**
 * PADMÉ padding (Nikitin et al., "Reducing Metadata Leakage from Encrypted Files and Communication
 * with PURBs", PETS 2019): a length L is rounded up so that only the top ⌊log2 ⌊log2 L⌋⌋ + 1 bits of
 * it may be non-zero, which leaks O(log log L) bits of the size and costs at most 12% overhead.
 * Stateless.
 */
final class Padme {
  private Padme() {}

  /** The padded length for {@code length} (≥ 0): never smaller, 0 and 1 unchanged. */
  static int padded(int length) {
    if (length < 2) {
      return length;
    }
    int e = 31 - Integer.numberOfLeadingZeros(length);
    int s = 32 - Integer.numberOfLeadingZeros(e);
    int lastBits = e - s;
    long mask = (1L << lastBits) - 1;
    return (int) ((length + mask) & ~mask);
  }
}
