package dev.loam.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.loam.DecodeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The sync message, sync state and Bloom filter decoders over a corpus ({@code fuzz/sync/}) and
 * seeded mutations of it: each input decodes, or fails with {@link DecodeException}; whatever
 * decodes re-encodes to an equal value. {@link #fuzzerTestOneInput} is the body a Jazzer target
 * would run (jazzer-junit is not yet on the test classpath).
 */
class SyncDecoderCorpusTest {
  private static final String[] CORPUS = {
    "session-1.bin", "session-2.bin", "session-3.bin", "session-4.bin", "old-capabilities.bin",
    "pre-2.1.10-no-flags.bin", "reset.bin", "bloom-short-bitmap.bin", "bloom-zero-bits.bin",
    "hash-count-overflow.bin", "state-empty.bin", "state-truncated-hash.bin",
  };

  /** One fuzz input: no decoder may throw anything but {@link DecodeException}. */
  static void fuzzerTestOneInput(byte[] data) {
    try {
      SyncMessage m = SyncMessage.decode(data);
      byte[] again = m.encode();
      assertEquals(m, SyncMessage.decode(again));
      assertArrayEquals(again, SyncMessage.decode(again).encode());
    } catch (DecodeException expected) {
      // rejected cleanly
    }
    try {
      SyncState s = SyncState.decode(data);
      assertEquals(s.sharedHeads(), SyncState.decode(s.encode()).sharedHeads());
    } catch (DecodeException expected) {
      // rejected cleanly
    }
    try {
      BloomFilter b = BloomFilter.decode(data);
      assertEquals(b, BloomFilter.decode(b.encode()));
    } catch (DecodeException expected) {
      // rejected cleanly
    }
  }

  private static byte[] corpus(String name) {
    try (InputStream in = SyncDecoderCorpusTest.class.getResourceAsStream("/fuzz/sync/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no corpus file " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void every_corpus_file_decodes_or_is_rejected_cleanly() {
    for (String name : CORPUS) {
      fuzzerTestOneInput(corpus(name));
    }
  }

  @Test
  void malformed_corpus_files_are_rejected() {
    for (String name : List.of("bloom-short-bitmap.bin", "bloom-zero-bits.bin", "hash-count-overflow.bin")) {
      byte[] data = corpus(name);
      boolean rejected = false;
      try {
        SyncMessage.decode(data);
      } catch (DecodeException expected) {
        rejected = true;
      }
      assertEquals(true, rejected, name);
    }
    byte[] truncated = corpus("state-truncated-hash.bin");
    boolean rejected = false;
    try {
      SyncState.decode(truncated);
    } catch (DecodeException expected) {
      rejected = true;
    }
    assertEquals(true, rejected);
    assertFalse(SyncMessage.decode(corpus("session-1.bin")).have().isEmpty());
  }

  @Test
  void seeded_mutations_of_the_corpus_are_decoded_or_rejected_cleanly() {
    List<byte[]> seeds = new ArrayList<>();
    for (String name : CORPUS) {
      seeds.add(corpus(name));
    }
    Random r = new Random(Long.getLong("loam.fuzz.seed", 20240601L));
    int rounds = Integer.getInteger("loam.fuzz.rounds", 20_000);
    for (int i = 0; i < rounds; i++) {
      byte[] d = seeds.get(r.nextInt(seeds.size())).clone();
      int edits = 1 + r.nextInt(4);
      for (int e = 0; e < edits && d.length > 0; e++) {
        switch (r.nextInt(4)) {
          case 0 -> d[r.nextInt(d.length)] ^= (byte) (1 << r.nextInt(8));
          case 1 -> d[r.nextInt(d.length)] = (byte) r.nextInt(256);
          case 2 -> d = java.util.Arrays.copyOf(d, r.nextInt(d.length + 1));
          default -> {
            int at = r.nextInt(d.length + 1);
            byte[] n = new byte[d.length + 1];
            System.arraycopy(d, 0, n, 0, at);
            n[at] = (byte) (r.nextBoolean() ? 0xff : r.nextInt(256));
            System.arraycopy(d, at, n, at + 1, d.length - at);
            d = n;
          }
        }
      }
      try {
        fuzzerTestOneInput(d);
      } catch (RuntimeException | AssertionError e) {
        throw new AssertionError("mutation " + i + " (" + java.util.HexFormat.of().formatHex(d) + "): " + e, e);
      }
    }
  }
}
