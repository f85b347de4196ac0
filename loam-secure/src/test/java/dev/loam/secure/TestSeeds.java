package dev.loam.secure;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.stream.LongStream;

/** Seeds for the randomised tests: LOAM_TEST_SEED runs that one, else 0 to loam.seeds - 1. */
final class TestSeeds {
  private TestSeeds() {}

  static LongStream seeds() {
    String one = System.getenv("LOAM_TEST_SEED");
    return one != null ? LongStream.of(Long.parseLong(one)) : LongStream.range(0, Long.getLong("loam.seeds", 200));
  }

  /** A random source that gives the same bytes for the same seed. */
  static SecureRandom random(long seed) {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(seed);
      return random;
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
