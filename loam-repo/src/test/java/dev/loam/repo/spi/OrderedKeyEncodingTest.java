package dev.loam.repo.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The key encoding the SQL adapters share: pinned bytes, the old PostgreSQL form, and prefix ranges against a naive model. */
class OrderedKeyEncodingTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void theBytesStayThoseAlreadyStored() {
    StorageKey k = StorageKey.of("a\0b", "\u0001");
    // SQLite files hold exactly this: every component terminated, 0x00 and 0x01 escaped
    assertEquals("610101620001020" + "0", HEX.formatHex(OrderedKeyEncoding.encode(k)));
    assertEquals("610101620001020" + "1", HEX.formatHex(OrderedKeyEncoding.rangeEnd(k)));
    assertEquals(k, OrderedKeyEncoding.decode(HEX.parseHex("6101016200010200")));
    // PostgreSQL tables hold it without the final terminator, and still read back
    assertEquals(k, OrderedKeyEncoding.decode(HEX.parseHex("61010162000102")));
    assertEquals(StorageKey.EMPTY, OrderedKeyEncoding.decode(new byte[0]));
  }

  @Test
  void badEscapesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> OrderedKeyEncoding.decode(HEX.parseHex("6101")));
    assertThrows(IllegalArgumentException.class, () -> OrderedKeyEncoding.decode(HEX.parseHex("610103")));
  }

  /** Seeds: LOAM_TEST_SEED for one, else 0 to loam.seeds - 1. */
  private static LongStream seeds() {
    String one = System.getenv("LOAM_TEST_SEED");
    return one != null && !one.isBlank() ? LongStream.of(Long.parseLong(one.trim()))
        : LongStream.range(0, Long.getLong("loam.seeds", 200));
  }

  @Test
  void aPrefixsRangeHoldsExactlyTheKeysThatStartWithIt() {
    seeds().forEach(seed -> {
      SplittableRandom random = new SplittableRandom(seed);
      List<StorageKey> keys = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        keys.add(randomKey(random));
      }
      for (StorageKey k : keys) {
        assertEquals(k, OrderedKeyEncoding.decode(OrderedKeyEncoding.encode(k)), "seed " + seed);
        for (int n = 0; n <= k.size(); n++) {
          StorageKey prefix = new StorageKey(k.parts().subList(0, n));
          byte[] lo = OrderedKeyEncoding.encode(prefix);
          byte[] hi = OrderedKeyEncoding.rangeEnd(prefix);
          for (StorageKey other : keys) {
            byte[] e = OrderedKeyEncoding.encode(other);
            boolean inRange = Arrays.compareUnsigned(lo, e) <= 0 && Arrays.compareUnsigned(e, hi) < 0;
            assertEquals(other.startsWith(prefix), inRange,
                () -> "seed " + seed + " (rerun with LOAM_TEST_SEED=" + seed + "): " + other + " against prefix " + prefix);
          }
        }
      }
    });
  }

  /** Short components from a tiny alphabet, so that prefixes and near-misses are common. */
  private static StorageKey randomKey(SplittableRandom random) {
    String[] alphabet = {"a", "b", "\0", "\u0001", "\u0002", "ä", "😀", "\u007f"};
    List<String> parts = new ArrayList<>();
    int size = 1 + random.nextInt(3);
    for (int i = 0; i < size; i++) {
      StringBuilder sb = new StringBuilder();
      int len = 1 + random.nextInt(3);
      for (int j = 0; j < len; j++) {
        sb.append(alphabet[random.nextInt(alphabet.length)]);
      }
      parts.add(sb.toString());
    }
    return new StorageKey(parts);
  }
}
