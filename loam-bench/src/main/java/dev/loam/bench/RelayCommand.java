package dev.loam.bench;

import dev.loam.Document;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.repo.storage.SqliteStorageAdapter;
import dev.loam.server.ServerLimits;
import java.io.PrintWriter;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code loam bench relay}: one keystroke relayed through a Loam server on a large document (see {@link RelayBench}). */
@Command(name = "relay", mixinStandardHelpOptions = true,
    description = {"Relay keystrokes between two Loam repos through a Loam server on a large document.",
        "Prints end-to-end and server-side relay times (median, max) over the keystrokes."})
final class RelayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--trace", description = "Replay this editing trace (per transaction) as the document.")
  @Nullable Path trace;

  @Option(names = "--changes", defaultValue = "0",
      description = "Without --trace: a synthetic document of this many one-character changes.")
  int changes;

  @Option(names = "--keystrokes", defaultValue = "50", description = "Keystrokes timed (default ${DEFAULT-VALUE}).")
  int keystrokes;

  @Option(names = "--sqlite", description = "Server storage in this new SQLite file (default: in memory).")
  @Nullable Path sqlite;

  @Option(names = "--relay-batch-ms", defaultValue = "20",
      description = "The server's relay window in ms: changes within one of the last relay wait for its end (default ${DEFAULT-VALUE}, the server's default; 0 relays each at once).")
  int relayBatchMs;

  @Override
  public Integer call() throws Exception {
    if ((trace == null) == (changes <= 0)) {
      throw new ParameterException(spec.commandLine(), "give --trace FILE or --changes N");
    }
    PrintWriter out = spec.commandLine().getOut();
    long t0 = System.nanoTime();
    Document doc = trace != null
        ? TraceReplay.replay(Trace.read(trace), TraceReplay.Mode.PER_TXN).doc()
        : RelayBench.synthetic(changes, 1);
    out.printf(Locale.ROOT, "document: %,d changes, built in %.1f s%n", doc.changes().size(), (System.nanoTime() - t0) / 1e9);
    out.flush();
    if (sqlite != null && Files.exists(sqlite)) {
      throw new ParameterException(spec.commandLine(), sqlite + " exists: give a new file");
    }
    StorageAdapter storage = sqlite != null ? SqliteStorageAdapter.open(sqlite) : new InMemoryStorageAdapter();
    RelayBench.Result r = RelayBench.run(doc, storage,
        ServerLimits.builder().relayBatch(Duration.ofMillis(relayBatchMs)).build(), keystrokes);
    out.printf(Locale.ROOT, "%,d changes, %d keystrokes: end to end median %.2f ms, max %.2f ms; server median %.3f ms,"
            + " p90 %.3f ms, max %.3f ms%n", r.changes(), keystrokes, RelayBench.medianMs(r.endToEndNanos()),
        max(r.endToEndNanos()), RelayBench.medianMs(r.serverNanos()), quantile(r.serverNanos(), 0.9), max(r.serverNanos()));
    out.flush();
    return 0;
  }

  private static double max(long[] nanos) {
    return Arrays.stream(nanos).max().orElse(0) / 1e6;
  }

  private static double quantile(long[] nanos, double q) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return s[(int) Math.min(s.length - 1, Math.floor(q * s.length))] / 1e6;
  }
}
