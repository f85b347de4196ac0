package dev.loam;

import java.util.function.LongConsumer;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The seeds of the randomised suites: environment variable {@code LOAM_TEST_SEED} runs that one
 * seed; otherwise system property {@code loam.seeds} (default 200, set by surefire) runs seeds 0 to
 * N-1. Every failure names its seed and how to rerun it.
 */
public final class Seeds {
  private Seeds() {}

  public static LongStream all() {
    String one = System.getenv("LOAM_TEST_SEED");
    if (one != null && !one.isBlank()) {
      return LongStream.of(Long.parseLong(one.trim()));
    }
    return LongStream.range(0, Long.getLong("loam.seeds", 200));
  }

  public static String rerun(long seed) {
    return "seed " + seed + " (rerun with LOAM_TEST_SEED=" + seed + " ./test -pl loam-core)";
  }

  /** One dynamic test per seed whose failures carry the seed and the rerun command. */
  public static Stream<DynamicTest> tests(String what, LongConsumer body) {
    return all().mapToObj(seed -> DynamicTest.dynamicTest(what + ", seed " + seed, () -> {
      try {
        body.accept(seed);
      } catch (Throwable t) {
        AssertionError e = new AssertionError(what + " failed for " + rerun(seed) + ": " + t, t);
        throw e;
      }
    }));
  }
}
