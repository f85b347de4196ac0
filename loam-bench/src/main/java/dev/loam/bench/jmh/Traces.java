package dev.loam.bench.jmh;

import dev.loam.bench.Trace;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds traces for the benchmarks, relative to the working directory (run JMH from the repository
 * root): committed ones under {@code loam-bench/traces}, {@code automerge-paper} at
 * {@code ../shared/traces/sequential/automerge-paper.json.gz}. Override the folders with
 * {@code -Dloam.traces=DIR} and {@code -Dloam.sharedTraces=DIR}.
 */
final class Traces {
  private Traces() {}

  static Path path(String name) {
    String dir = name.equals("friendsforever") || name.equals("clownschool") ? "concurrent" : "sequential";
    Path committed = Path.of(System.getProperty("loam.traces", "loam-bench/traces"), dir, name + ".json.gz");
    if (Files.isRegularFile(committed)) {
      return committed;
    }
    return Path.of(System.getProperty("loam.sharedTraces", "../shared/traces"), dir, name + ".json.gz");
  }

  static boolean exists(String name) {
    return Files.isRegularFile(path(name));
  }

  static Trace read(String name) {
    return Trace.read(path(name));
  }

  /** {@code name} if present, else the committed {@code friendsforever_flat} (automerge-paper is not committed). */
  static Trace readOrFallback(String name) {
    if (exists(name)) {
      return read(name);
    }
    System.err.println("loam-bench: " + path(name) + " is absent; using friendsforever_flat instead");
    return read("friendsforever_flat");
  }
}
