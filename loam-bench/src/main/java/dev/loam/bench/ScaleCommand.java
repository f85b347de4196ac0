package dev.loam.bench;

import dev.loam.Document;
import dev.loam.ObjId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code loam bench scale}: how the engine's costs grow with the document. A trace is replayed
 * {@code k} times into one text for each scale {@code k} ({@link TraceReplay#repeated}: the
 * first repetition one change per transaction, the others one change each), and for each document
 * the command measures the heap it keeps, a save (after a one-character change: an unchanged
 * document's save is kept), a verified load and a local keystroke (one character typed in the
 * middle of the text, one change each), and prints each figure per trace op beside the first
 * scale's, so that growth worse than linear shows as a ratio above 1. The first scale is measured
 * once untimed before, so that it does not carry the JIT's warm-up.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
    description = {"Replay a trace k times into one document for each scale k and report memory kept, save, verified load",
        "and a keystroke, each per op against the first scale (issue 14's scale target: 10x automerge-paper)."})
final class ScaleCommand implements Callable<Integer> {
  /** Keystrokes timed per scale (after as many untimed). */
  static final int KEYSTROKES = 2_000;

  @Spec CommandSpec spec;

  @Option(names = "--trace", defaultValue = "../shared/traces/sequential/automerge-paper.json.gz",
      description = "The trace (default ${DEFAULT-VALUE}).")
  Path trace;

  @Option(names = "--scales", defaultValue = "1,10", split = ",", description = "Scales, comma-separated (default ${DEFAULT-VALUE}).")
  int[] scales;

  @Option(names = "--runs", defaultValue = "3", description = "Saves and loads per scale, the median reported (default ${DEFAULT-VALUE}).")
  int runs;

  /** What one scale measured. */
  record Row(int scale, long ops, long heapBytes, double saveMs, long savedBytes, double loadMs, double keystrokeUs) {}

  @Override
  public Integer call() {
    if (!Files.isRegularFile(trace)) {
      throw new ParameterException(spec.commandLine(), "no trace at " + trace);
    }
    if (scales.length == 0 || Arrays.stream(scales).anyMatch(k -> k < 1) || runs < 1) {
      throw new ParameterException(spec.commandLine(), "--scales must be positive and --runs at least 1");
    }
    Trace t = Trace.read(trace);
    measure(t, scales[0], runs); // untimed: the JIT compiles save, load and typing before the first scale counts
    List<Row> rows = new ArrayList<>();
    for (int k : scales) {
      rows.add(measure(t, k, runs));
    }
    spec.commandLine().getOut().print(report(t.name, rows));
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** The figures of {@code t} replayed {@code k} times, saves and loads repeated {@code runs} times. */
  static Row measure(Trace t, int k, int runs) {
    long before = TraceBench.usedAfterGc();
    TraceReplay.Replayed r = TraceReplay.repeated(t, k);
    long heap = TraceBench.usedAfterGc() - before;
    Document doc = r.doc();
    double[] save = new double[runs];
    double[] load = new double[runs];
    byte[] bytes = null;
    for (int i = 0; i < runs; i++) {
      int end = doc.length(r.text());
      doc.transact(tx -> tx.spliceText(r.text(), end, 0, "."));  // a document saves again only once changed
      long t0 = System.nanoTime();
      bytes = doc.save();
      save[i] = (System.nanoTime() - t0) / 1e6;
    }
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      Document loaded = Document.load(bytes);
      load[i] = (System.nanoTime() - t0) / 1e6;
      if (!loaded.heads().equals(doc.heads())) {
        throw new IllegalStateException("the loaded document's heads differ from the saved one's");
      }
    }
    double keystroke = keystrokeUs(doc, r.text());
    return new Row(k, (long) t.charOps * k, heap, median(save), bytes.length, median(load), keystroke);
  }

  /** The median time of typing one character in the middle of {@code text}, one change each, in µs. */
  private static double keystrokeUs(Document doc, ObjId text) {
    double[] us = new double[KEYSTROKES];
    for (int i = -KEYSTROKES; i < KEYSTROKES; i++) {
      int at = doc.length(text) / 2;
      long t0 = System.nanoTime();
      doc.transact(tx -> tx.spliceText(text, at, 0, "x"));
      if (i >= 0) {
        us[i] = (System.nanoTime() - t0) / 1e3;
      }
    }
    return median(us);
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  /** The markdown table of {@code rows}: figures per scale, and per op against the first row. */
  static String report(String trace, List<Row> rows) {
    Row base = rows.getFirst();
    StringBuilder b = new StringBuilder();
    b.append("| ").append(trace).append(" × k | ops | memory kept MiB (B/op) | save ms (bytes) | load ms, verified | keystroke µs | ")
        .append("per op ÷ ×").append(base.scale()).append(": memory / save / load |\n");
    b.append("|---|--:|--:|--:|--:|--:|--:|\n");
    for (Row r : rows) {
      b.append(String.format(Locale.ROOT, "| ×%d | %,d | %.1f (%.1f) | %.1f (%,d) | %.1f | %.1f | %.2f / %.2f / %.2f |%n",
          r.scale(), r.ops(), r.heapBytes() / 1048576.0, (double) r.heapBytes() / r.ops(), r.saveMs(), r.savedBytes(),
          r.loadMs(), r.keystrokeUs(), perOp(r.heapBytes(), r, base.heapBytes(), base), perOp(r.saveMs(), r, base.saveMs(), base),
          perOp(r.loadMs(), r, base.loadMs(), base)));
    }
    return b.toString();
  }

  private static double perOp(double value, Row r, double baseValue, Row base) {
    return (value / r.ops()) / (baseValue / base.ops());
  }
}
