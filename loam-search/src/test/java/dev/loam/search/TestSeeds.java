package dev.loam.search;

import java.util.stream.LongStream;

/** Seeds for the randomised tests: LOAM_TEST_SEED runs that one, else 0 to loam.seeds - 1. */
final class TestSeeds {
  private TestSeeds() {}

  static LongStream seeds() {
    String one = System.getenv("LOAM_TEST_SEED");
    return one != null ? LongStream.of(Long.parseLong(one)) : LongStream.range(0, Long.getLong("loam.seeds", 200));
  }

  /** The command that reruns {@code seed}, for failure messages. */
  static String rerun(long seed, String testClass) {
    return "seed " + seed + " (rerun: LOAM_TEST_SEED=" + seed + " ./mvnw -pl loam-search -am verify -Dtest=" + testClass
        + " -Dsurefire.failIfNoSpecifiedTests=false)";
  }
}
