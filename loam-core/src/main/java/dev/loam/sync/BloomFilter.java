package dev.loam.sync;

import dev.loam.ChangeHash;
import dev.loam.internal.codec.WireReader;
import dev.loam.internal.codec.WireWriter;
import java.util.Arrays;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * A Bloom filter over change hashes, exactly as Automerge builds and reads it: a sync message's
 * summary of the changes its sender has. Immutable and thread-safe.
 *
 * <pre>
 * +--------------+-------------------+--------------+------------------------------------+
 * | uLEB entries | uLEB bitsPerEntry | uLEB probes  | ceil(entries*bitsPerEntry/8) bytes |
 * +--------------+-------------------+--------------+------------------------------------+
 *   (a filter with no entries is encoded as no bytes at all)
 * </pre>
 *
 * <p>Implementation notes: probe {@code i} for hash {@code h} over {@code m = 8*bitmapBytes}
 * bits is the triple-hashing sequence {@code x0 = le32(h[0..4]) mod m}, {@code y0 = le32(h[4..8])
 * mod m}, {@code z = le32(h[8..12]) mod m}, {@code x(i+1) = (x(i)+y(i)) mod m}, {@code y(i+1) =
 * (y(i)+z) mod m}; bit {@code p} is {@code byte[p>>3] & (1<<(p&7))}. The parameters travel with
 * the filter, so any values a peer sends are honoured within sane bounds ({@link
 * #MAX_BITS_PER_ENTRY}, {@link #MAX_PROBES}); a bitmap whose length does not match the entry count
 * is rejected. Building is O(n·k), a lookup O(k). Reference: Automerge {@code sync/bloom.rs};
 * Kleppmann &amp; Howard, arXiv 2012.00472.
 */
public final class BloomFilter {
  /** Automerge's parameters: about 1% false positives. */
  public static final int BITS_PER_ENTRY = 10;

  /** Automerge's number of probes per entry. */
  public static final int PROBES = 7;
  /** The most bits per entry a decoded filter may declare. */
  public static final int MAX_BITS_PER_ENTRY = 64;
  /** The most probes a decoded filter may declare. */
  public static final int MAX_PROBES = 64;

  /** The filter with no entries (encoded as no bytes). */
  public static final BloomFilter EMPTY = new BloomFilter(0, BITS_PER_ENTRY, PROBES, new byte[0]);

  private final int entries;
  private final int bitsPerEntry;
  private final int probes;
  private final byte[] bits;

  private BloomFilter(int entries, int bitsPerEntry, int probes, byte[] bits) {
    this.entries = entries;
    this.bitsPerEntry = bitsPerEntry;
    this.probes = probes;
    this.bits = bits;
  }

  /** The filter Automerge builds over {@code hashes} (10 bits per entry, 7 probes). */
  public static BloomFilter of(Collection<ChangeHash> hashes) {
    if (hashes.isEmpty()) {
      return EMPTY;
    }
    BloomFilter f = new BloomFilter(hashes.size(), BITS_PER_ENTRY, PROBES,
        new byte[bitmapLength(hashes.size(), BITS_PER_ENTRY)]);
    int[] probe = new int[PROBES];
    byte[] h = new byte[ChangeHash.LENGTH];
    for (ChangeHash hash : hashes) {
      hash.copyTo(h, 0);
      f.add(le32(h, 0), le32(h, 4), le32(h, 8), probe);
    }
    return f;
  }

  /**
   * The filter {@link #of} builds, over hashes given by their first 16 bytes as two big-endian
   * longs each ({@code words[2i]} bytes 0-7, {@code words[2i+1]} bytes 8-15): no hash object per entry.
   */
  static BloomFilter ofHashWords(long[] words) {
    int n = words.length / 2;
    if (n == 0) {
      return EMPTY;
    }
    BloomFilter f = new BloomFilter(n, BITS_PER_ENTRY, PROBES, new byte[bitmapLength(n, BITS_PER_ENTRY)]);
    int[] probe = new int[PROBES];
    for (int i = 0; i < n; i++) {
      long w0 = words[2 * i];
      f.add(le32(w0 >>> 32), le32(w0), le32(words[2 * i + 1] >>> 32), probe);
    }
    return f;
  }

  /** Sets the bits of the hash whose first three little-endian 32-bit words are {@code a, b, c}. */
  private void add(long a, long b, long c, int[] probe) {
    probes(a, b, c, probe);
    for (int p : probe) {
      bits[p >>> 3] |= (byte) (1 << (p & 7));
    }
  }

  /** The little-endian 32-bit word whose bytes are the low four of {@code bigEndian}, read in order. */
  private static long le32(long bigEndian) {
    return Integer.toUnsignedLong(Integer.reverseBytes((int) bigEndian));
  }

  /** Reads a filter from exactly {@code bytes} (the length-delimited bloom field of a message). */
  public static BloomFilter decode(byte[] bytes) {
    return read(WireReader.of(bytes));
  }

  /** Reads a filter occupying all of {@code in}. */
  static BloomFilter read(WireReader in) {
    if (in.atEnd()) {
      return EMPTY;
    }
    int entries = (int) in.readUleb(0, 0xffff_ffffL, "a Bloom filter entry count");
    int bitsPerEntry = (int) in.readUleb(1, MAX_BITS_PER_ENTRY, "a Bloom filter bits-per-entry");
    int probes = (int) in.readUleb(1, MAX_PROBES, "a Bloom filter probe count");
    long want = bitmapLength(Integer.toUnsignedLong(entries), bitsPerEntry);
    if (want != in.remaining()) {
      throw in.error("a Bloom filter bitmap of " + want + " bytes for " + Integer.toUnsignedString(entries)
          + " entries at " + bitsPerEntry + " bits each, found " + in.remaining());
    }
    byte[] bits = in.readBytes(want, "the Bloom filter bitmap");
    return new BloomFilter(entries, bitsPerEntry, probes, bits);
  }

  static int bitmapLength(long entries, int bitsPerEntry) {
    long bitsTotal = entries * bitsPerEntry;
    long len = (bitsTotal + 7) / 8;
    return len > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) len;
  }

  /** The encoded filter: no bytes when it has no entries. */
  public byte[] encode() {
    if (entries == 0) {
      return new byte[0];
    }
    return new WireWriter(bits.length + 8)
        .writeUleb(Integer.toUnsignedLong(entries))
        .writeUleb(bitsPerEntry)
        .writeUleb(probes)
        .write(bits)
        .toByteArray();
  }

  /** Whether {@code hash} may be in the set (false positives possible; always false for no entries). */
  public boolean contains(ChangeHash hash) {
    if (entries == 0 || bits.length == 0) {
      return false;
    }
    int[] probe = new int[probes];
    byte[] h = hash.toByteArray();
    probes(le32(h, 0), le32(h, 4), le32(h, 8), probe);
    for (int p : probe) {
      if ((bits[p >>> 3] & (1 << (p & 7))) == 0) {
        return false;
      }
    }
    return true;
  }

  private void probes(long a, long b, long c, int[] out) {
    long m = 8L * bits.length;
    long x = a % m;
    long y = b % m;
    long z = c % m;
    out[0] = (int) x;
    for (int i = 1; i < out.length; i++) {
      x = (x + y) % m;
      y = (y + z) % m;
      out[i] = (int) x;
    }
  }

  private static long le32(byte[] b, int at) {
    return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
  }

  /** How many hashes the filter was built over (unsigned 32 bits). */
  public long entries() {
    return Integer.toUnsignedLong(entries);
  }

  /** The bits per entry this filter was built with. */
  public int bitsPerEntry() {
    return bitsPerEntry;
  }

  /** The number of probes per entry this filter was built with. */
  public int probeCount() {
    return probes;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof BloomFilter b && Arrays.equals(encode(), b.encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "BloomFilter[entries=" + entries() + ", bitsPerEntry=" + bitsPerEntry + ", probes=" + probes + "]";
  }
}
