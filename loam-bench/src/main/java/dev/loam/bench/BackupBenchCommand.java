package dev.loam.bench;

import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.storage.FileSystemStorageAdapter;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.repo.storage.SqliteStorageAdapter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loam bench backup}: backup and verify throughput, archive size and incremental size (see {@link BackupBench}). */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = {"Back up a storage of generated documents, verify the archive, edit a share of the documents,",
        "back up incrementally and verify the chain. Prints throughput, sizes and the load average."})
final class BackupBenchCommand implements Callable<Integer> {
  /** Where the generated documents are stored. */
  enum Storage { memory, sqlite, fs }

  @Spec CommandSpec spec;

  @Option(names = "--docs", defaultValue = "10000", description = "Documents (default ${DEFAULT-VALUE}).")
  int docs;

  @Option(names = "--doc-bytes", defaultValue = "10000", description = "About how large each document's save is (default ${DEFAULT-VALUE}).")
  int docBytes;

  @Option(names = "--changed", defaultValue = "1", description = "Percent of documents edited before the incremental (default ${DEFAULT-VALUE}).")
  double changed;

  @Option(names = "--storage", defaultValue = "memory", description = "memory, sqlite or fs (default ${DEFAULT-VALUE}).")
  Storage storage;

  @Option(names = "--seed", defaultValue = "1", description = "Corpus seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--dir", description = "Where storage and archives go (default: a new temporary folder, deleted after).")
  @Nullable Path dir;

  @Override
  public Integer call() throws IOException {
    if (docs < 1 || docBytes < 1 || !(changed >= 0 && changed <= 100)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--docs and --doc-bytes must be positive and --changed "
          + "a percentage, not " + docs + ", " + docBytes + " and " + changed);
    }
    Path where = dir != null ? dir : Files.createTempDirectory("loam-backup-bench");
    PrintWriter out = spec.commandLine().getOut();
    try (StorageAdapter adapter = open(storage, where)) {
      BackupBench.Result r = new BackupBench(seed, docs, docBytes, changed).run(adapter, where);
      out.print(report(r, storage.name(), loadAverage()));
    } finally {
      if (dir == null) {
        try (Stream<Path> files = Files.walk(where)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
    out.flush();
    return 0;
  }

  private static StorageAdapter open(Storage kind, Path where) {
    return switch (kind) {
      case memory -> new InMemoryStorageAdapter();
      case sqlite -> SqliteStorageAdapter.open(where.resolve("source.db"), SqliteStorageAdapter.Durability.NORMAL);
      case fs -> FileSystemStorageAdapter.open(where.resolve("source"));
    };
  }

  /** The 1-minute load average, or "?" where /proc/loadavg is not there. */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /** The results as a Markdown table. */
  static String report(BackupBench.Result r, String storage, String load) {
    StringBuilder b = new StringBuilder();
    double mb = r.full().bytes() / 1e6;
    b.append(String.format(Locale.ROOT, "| %,d documents, %s storage, load average %s | |%n|---|---|%n", r.documents(), storage, load));
    row(b, "sum of the documents' own saves", String.format(Locale.ROOT, "%.1f MB (%.1f KB a document)",
        r.savesBytes() / 1e6, r.savesBytes() / 1e3 / r.documents()));
    row(b, "full archive", String.format(Locale.ROOT, "%.1f MB (%.3f× the saves)", mb, (double) r.full().bytes() / r.savesBytes()));
    row(b, "create full, wall time", rate(r.createSeconds(), mb, r.documents()));
    row(b, "create full, CPU time of the process", rate(r.createCpu(), mb, r.documents()));
    row(b, "verify full, wall time", rate(r.verifySeconds(), mb, r.documents()));
    row(b, "verify full, CPU time of the process", rate(r.verifyCpu(), mb, r.documents()));
    row(b, String.format(Locale.ROOT, "incremental after %,d documents (%.1f %%) changed", r.changed(), 100.0 * r.changed() / r.documents()),
        String.format(Locale.ROOT, "%.3f MB (%.2f %% of the full archive), %d incremental entries",
            r.incremental().bytes() / 1e6, 100.0 * r.incremental().bytes() / r.full().bytes(), r.incremental().incremental()));
    row(b, "create incremental (reads its parent's manifest), wall time", rate(r.incrementalSeconds(), mb, r.documents()));
    row(b, "create incremental, CPU time of the process", rate(r.incrementalCpu(), mb, r.documents()));
    row(b, "verify the chain (full + incremental), wall time", rate(r.verifyChainSeconds(), mb, r.documents()));
    row(b, "verify the chain, CPU time of the process", rate(r.verifyChainCpu(), mb, r.documents()));
    return b.toString();
  }

  private static String rate(double seconds, double mb, int documents) {
    return String.format(Locale.ROOT, "%.2f s: %.1f MB/s, %,.0f documents/s", seconds, mb / seconds, documents / seconds);
  }

  private static void row(StringBuilder b, String label, String value) {
    b.append("| ").append(label).append(" | ").append(value).append(" |\n");
  }
}
