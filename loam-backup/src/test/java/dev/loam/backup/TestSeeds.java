package dev.loam.backup;

import java.util.stream.LongStream;

/** Seeds for the randomised tests: LOAM_TEST_SEED runs that one, else 0 to loam.seeds - 1 (default 20). */
final class TestSeeds {
  private TestSeeds() {}

  static LongStream seeds() {
    String one = System.getenv("LOAM_TEST_SEED");
    return one != null ? LongStream.of(Long.parseLong(one)) : LongStream.range(0, Long.getLong("loam.seeds", 20));
  }

  /** A message naming the seed, for assertion failures. */
  static String seedMessage(long seed) {
    return "seed " + seed + " (rerun with LOAM_TEST_SEED=" + seed + ")";
  }
}
