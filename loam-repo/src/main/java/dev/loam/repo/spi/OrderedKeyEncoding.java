package dev.loam.repo.spi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a {@link StorageKey} as bytes whose unsigned order keeps every key with a given prefix
 * in one contiguous range, for adapters that keep keys in a sorted index (SQLite, PostgreSQL):
 * a {@link StorageAdapter#loadRange} becomes one interval scan of the primary key.
 *
 * <pre>
 * key     = component 0x00 component 0x00 ...      (each component UTF-8, escaped)
 * escape  : 0x00 -> 0x01 0x01,  0x01 -> 0x01 0x02   (so 0x00 only ever ends a component)
 * range of prefix p = [encode(p), rangeEnd(p))      (the empty prefix: every key)
 * </pre>
 *
 * <p>Implementation notes: every component is terminated, so {@code ["ab"]} ({@code 61 62 00})
 * sorts apart from {@code ["abc"]} ({@code 61 62 63 00}) and a prefix matches whole components
 * only. {@code rangeEnd} replaces the prefix's final terminator by {@code 0x01}: a key with the
 * prefix has {@code 0x00} there, so it sorts below; any other key at or above {@code encode(p)}
 * first differs from it at or before that byte with a greater byte, so it sorts at or above
 * (a longer last component continues with a byte {@code >= 0x01}). {@link #decode} also reads
 * keys written without the final terminator, as {@code PostgresStorageAdapter} has always stored
 * them: such an encoding never ends in {@code 0x00}, a terminated one always does, so the two
 * cannot be confused.
 *
 * <p>Stateless and thread-safe.
 */
public final class OrderedKeyEncoding {
  private OrderedKeyEncoding() {}

  /** {@code key}'s bytes; the empty key (a prefix only) encodes as no bytes. */
  public static byte[] encode(StorageKey key) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String part : key.parts()) {
      for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
        if (b == 0x00 || b == 0x01) {
          out.write(0x01);
          out.write(b + 1);
        } else {
          out.write(b);
        }
      }
      out.write(0x00);
    }
    return out.toByteArray();
  }

  /**
   * The smallest encoding after every key that starts with {@code prefix}: the range of
   * {@code prefix} is {@code encode(prefix) <= k < rangeEnd(prefix)} in unsigned byte order.
   */
  public static byte[] rangeEnd(StorageKey prefix) {
    byte[] low = encode(prefix);
    if (low.length == 0) {
      return new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}; // above any UTF-8 lead byte
    }
    byte[] high = Arrays.copyOf(low, low.length);
    high[low.length - 1] = 0x01;
    return high;
  }

  /**
   * The key {@code encoded} holds, written by {@link #encode} or without its final terminator.
   *
   * @throws IllegalArgumentException if the bytes are not such an encoding
   */
  public static StorageKey decode(byte[] encoded) {
    List<String> parts = new ArrayList<>();
    ByteArrayOutputStream part = new ByteArrayOutputStream();
    for (int i = 0; i < encoded.length; i++) {
      byte b = encoded[i];
      if (b == 0x00) {
        parts.add(part.toString(StandardCharsets.UTF_8));
        part.reset();
      } else if (b == 0x01) {
        if (i + 1 == encoded.length || (encoded[i + 1] != 0x01 && encoded[i + 1] != 0x02)) {
          throw new IllegalArgumentException("not an encoded storage key: a bad escape at byte " + i);
        }
        part.write(encoded[++i] - 1);
      } else {
        part.write(b);
      }
    }
    if (part.size() > 0) {
      parts.add(part.toString(StandardCharsets.UTF_8)); // the last component, unterminated
    }
    return new StorageKey(parts);
  }
}
