package dev.loam.interop;

import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The fixed seeds of the randomised interop tests: 1..N with N from {@code -Dloam.seeds} (200 by
 * default, as surefire passes it), or just {@code LOAM_TEST_SEED} when that is set.
 */
final class Seeds {
  private Seeds() {}

  static List<Long> all() {
    String one = System.getenv("LOAM_TEST_SEED");
    if (one != null && !one.isBlank()) {
      return List.of(Long.parseLong(one.strip()));
    }
    int n = Integer.getInteger("loam.seeds", 200);
    return LongStream.rangeClosed(1, n).boxed().toList();
  }

  static String rerun(Class<?> test, long seed) {
    return "rerun with: LOAM_TEST_SEED=" + seed + " ./mvnw -q -B -pl loam-core,loam-interop -am test -Dtest="
        + test.getSimpleName() + " -Dsurefire.failIfNoSpecifiedTests=false";
  }

  /** One dynamic test per seed; a failure names the seed and how to rerun it. */
  static Stream<DynamicTest> tests(Class<?> test, LongConsumer body) {
    return tests(test, Integer.MAX_VALUE, body);
  }

  /** As above, for the first {@code limit} seeds only: for a test whose every seed costs seconds. */
  static Stream<DynamicTest> tests(Class<?> test, int limit, LongConsumer body) {
    return all().stream().limit(limit).map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> {
      try {
        body.accept(seed);
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + " (" + rerun(test, seed) + "):\n" + e.getMessage(), e);
      } catch (RuntimeException e) {
        throw new AssertionError("seed " + seed + " (" + rerun(test, seed) + "):\n" + Checks.describe(e), e);
      }
    }));
  }
}
