package dev.loam.typed;

import java.util.function.LongConsumer;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The seeds of the randomised suites: environment variable {@code LOAM_TEST_SEED} runs that one
 * seed; otherwise system property {@code loam.seeds} (default 200) runs seeds 0 to N-1. Every
 * failure names its seed and how to rerun it.
 */
final class Seeds {
  private Seeds() {}

  static Stream<DynamicTest> tests(String what, LongConsumer body) {
    String one = System.getenv("LOAM_TEST_SEED");
    LongStream seeds = one != null && !one.isBlank() ? LongStream.of(Long.parseLong(one.strip()))
        : LongStream.range(0, Long.getLong("loam.seeds", 200));
    return seeds.mapToObj(seed -> DynamicTest.dynamicTest(what + ", seed " + seed, () -> {
      try {
        body.accept(seed);
      } catch (Throwable t) {
        throw new AssertionError(what + " failed for seed " + seed + " (rerun with LOAM_TEST_SEED=" + seed
            + " ./mvnw -o -q -pl loam-typed -am verify -Dtest=" + "'Typed*' -Dsurefire.failIfNoSpecifiedTests=false): " + t, t);
      }
    }));
  }
}
