package dev.loam.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loam bench search}: loam-search and SQLite FTS5 side by side on one generated corpus (see {@link SearchBench}). */
@Command(name = "search", mixinStandardHelpOptions = true,
    description = {"Index a generated corpus with loam-search and SQLite FTS5, then time the same queries on both.",
        "Prints indexing throughput, query p50/p99 per kind, snippet cost, index size and edit-to-visible latency."})
final class SearchBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--docs", defaultValue = "100000", description = "Documents in the corpus (default ${DEFAULT-VALUE}).")
  int docs;

  @Option(names = "--queries", defaultValue = "200", description = "Queries of each kind (default ${DEFAULT-VALUE}).")
  int queries;

  @Option(names = "--seed", defaultValue = "1", description = "Corpus seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--engine", defaultValue = "both",
      description = "Which engines to run: loam, fts5 or both (default ${DEFAULT-VALUE}).")
  String engine;

  @Option(names = "--cpu", description = {"Also print CPU-time figures (documents per CPU-second; each query's CPU time on",
      "its thread, p50 / p99; the collectors' time during each timed run): comparable on a busy machine."})
  boolean cpu;

  @Option(names = "--dir", description = "Where the indexes go (default: a new temporary folder, deleted after).")
  @Nullable Path dir;

  @Option(names = "--write-repo", paramLabel = "DIR", description = {"Write the corpus as a new repo folder (SQLite, as loam repo new",
      "makes) and run no benchmark: to time 'loam search --reindex --data DIR' as a whole process."})
  @Nullable Path writeRepo;

  @Override
  public Integer call() throws IOException {
    if (docs < 1 || queries < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--docs and --queries must be positive, not " + docs + " and " + queries);
    }
    if (writeRepo != null) {
      if (Files.exists(writeRepo.resolve(SearchBench.REPO_DB))) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), writeRepo + " already holds a repo");
      }
      try {
        Files.createDirectories(writeRepo);
      } catch (IOException e) {
        spec.commandLine().getErr().printf("loam bench search: cannot create the repo folder %s (%s)%n", writeRepo, e);
        spec.commandLine().getErr().flush();
        return 1;
      }
      new SearchBench(seed, docs, queries, writeRepo).writeRepo(writeRepo);
      spec.commandLine().getOut().printf(Locale.ROOT, "wrote %,d documents to %s%n", docs, writeRepo);
      spec.commandLine().getOut().flush();
      return 0;
    }
    if (!List.of("loam", "fts5", "both").contains(engine)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--engine takes loam, fts5 or both, not " + engine);
    }
    Path where = dir != null ? dir : Files.createTempDirectory("loam-search-bench");
    PrintWriter out = spec.commandLine().getOut();
    try {
      SearchBench bench = new SearchBench(seed, docs, queries, where);
      List<SearchBench.EngineResult> results = switch (engine) {
        case "loam" -> List.of(bench.loam());
        case "fts5" -> List.of(bench.fts5());
        case "both" -> List.of(bench.loam(), bench.fts5());
        default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--engine takes loam, fts5 or both, not " + engine);
      };
      out.print(report(docs, results, cpu));
    } finally {
      if (dir == null) {
        try (var files = Files.walk(where)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
    out.flush();
    return 0;
  }

  private static String rate(double r) {
    return Double.isNaN(r) ? "—" : String.format(Locale.ROOT, "%,.0f", r);
  }

  /** The results as a Markdown table; with {@code cpu}, with rows of CPU-time figures. */
  static String report(int docs, List<SearchBench.EngineResult> results, boolean cpu) {
    StringBuilder b = new StringBuilder();
    b.append("| ").append(String.format(Locale.ROOT, "%,d", docs)).append(" documents |");
    results.forEach(r -> b.append(' ').append(r.engine()).append(" |"));
    b.append("\n|---|").append("---|".repeat(results.size())).append('\n');
    row(b, "indexing, first pass (documents/s)", results, r -> rate(r.docsPerSecond()));
    if (cpu) {
      row(b, "indexing, first pass (documents per CPU-second, all threads)", results, r -> rate(r.docsPerCpuSecond()));
    }
    row(b, "indexing, " + SearchBench.WARM_PASSES + " more passes (documents/s)", results, r -> rate(r.warmDocsPerSecond()));
    if (cpu) {
      row(b, "indexing, " + SearchBench.WARM_PASSES + " more passes (documents per CPU-second)", results, r -> rate(r.warmDocsPerCpuSecond()));
    }
    row(b, "index size on disk (MB)", results, r -> String.format(Locale.ROOT, "%.1f", r.indexBytes() / 1e6));
    for (SearchBench.Kind k : SearchBench.Kind.values()) {
      row(b, k.label + ", top 20 with snippets: p50 / p99 ms (mean hits)", results, r -> lat(r.queries(), k));
      if (cpu) {
        row(b, k.label + ", with snippets: CPU p50 / p99 ms; collector ms in the run", results, r -> cpu(r.queries().get(k)));
      }
      if (results.stream().anyMatch(r -> r.withoutSnippets().containsKey(k))) {
        row(b, k.label + ", top 20 without snippets", results, r -> lat(r.withoutSnippets(), k));
      }
    }
    row(b, "edit → visible in search: p50 / p99 ms", results,
        r -> String.format(Locale.ROOT, "%.2f / %.2f", r.update().p50(), r.update().p99()));
    if (cpu) {
      row(b, "edit → visible: CPU of the editing thread p50 / p99 ms; collector ms", results, r -> cpu(r.update()));
    }
    return b.toString();
  }

  private static String cpu(SearchBench.@Nullable Latency l) {
    return l == null ? "—" : String.format(Locale.ROOT, "%.2f / %.2f; %d", l.cpuP50(), l.cpuP99(), Math.round(l.gcMs()));
  }

  private static String lat(Map<SearchBench.Kind, SearchBench.Latency> m, SearchBench.Kind k) {
    SearchBench.Latency l = m.get(k);
    return l == null ? "—" : String.format(Locale.ROOT, "%.2f / %.2f (%.1f)", l.p50(), l.p99(), l.meanHits());
  }

  private static void row(StringBuilder b, String label, List<SearchBench.EngineResult> results,
      java.util.function.Function<SearchBench.EngineResult, String> cell) {
    b.append("| ").append(label).append(" |");
    results.forEach(r -> b.append(' ').append(cell.apply(r)).append(" |"));
    b.append('\n');
  }
}
