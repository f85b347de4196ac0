package dev.loam.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ChangeHash;
import dev.loam.Seeds;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link BloomFilter#of} and {@link BloomFilter#ofHashWords} (the sync path, from the history's
 * hash columns) against a plain model of Automerge's filter written from its definition: 10 bits
 * per entry, 7 probes by triple hashing of the hash's first three little-endian 32-bit words.
 */
class BloomFilterModelTest {
  @TestFactory
  Stream<DynamicTest> bothBuildersGiveTheModelsBytes() {
    return Seeds.tests("Bloom filter", seed -> {
      Random rnd = new Random(seed);
      int n = switch (rnd.nextInt(4)) {
        case 0 -> rnd.nextInt(3);
        case 1 -> rnd.nextInt(50);
        default -> rnd.nextInt(3_000);
      };
      List<ChangeHash> hashes = new ArrayList<>();
      long[] words = new long[2 * n];
      for (int i = 0; i < n; i++) {
        byte[] h = new byte[ChangeHash.LENGTH];
        rnd.nextBytes(h);
        hashes.add(ChangeHash.of(h));
        ByteBuffer b = ByteBuffer.wrap(h); // big-endian, as the history keeps them
        words[2 * i] = b.getLong(0);
        words[2 * i + 1] = b.getLong(8);
      }
      byte[] expected = model(hashes);
      assertArrayEquals(expected, BloomFilter.of(hashes).encode(), "of");
      BloomFilter fromWords = BloomFilter.ofHashWords(words);
      assertArrayEquals(expected, fromWords.encode(), "ofHashWords");
      for (ChangeHash h : hashes) {
        assertTrue(fromWords.contains(h), "an entry is found");
      }
    });
  }

  /** The encoded filter, from the definition: uLEB entries, bits per entry, probes, then the bitmap. */
  private static byte[] model(List<ChangeHash> hashes) {
    if (hashes.isEmpty()) {
      return new byte[0];
    }
    int bytes = (hashes.size() * 10 + 7) / 8;
    byte[] bitmap = new byte[bytes];
    long m = 8L * bytes;
    for (ChangeHash hash : hashes) {
      byte[] h = hash.toByteArray();
      long x = word(h, 0) % m;
      long y = word(h, 4) % m;
      long z = word(h, 8) % m;
      for (int probe = 0; probe < 7; probe++) {
        bitmap[(int) (x / 8)] |= (byte) (1 << (x % 8));
        x = (x + y) % m;
        y = (y + z) % m;
      }
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    uleb(out, hashes.size());
    uleb(out, 10);
    uleb(out, 7);
    out.writeBytes(bitmap);
    return out.toByteArray();
  }

  private static long word(byte[] h, int at) {
    long v = 0;
    for (int k = 3; k >= 0; k--) {
      v = (v << 8) | (h[at + k] & 0xff);
    }
    return v;
  }

  private static void uleb(java.io.ByteArrayOutputStream out, long v) {
    do {
      int b = (int) (v & 0x7f);
      v >>>= 7;
      out.write(v == 0 ? b : b | 0x80);
    } while (v != 0);
  }
}
