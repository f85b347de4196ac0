package dev.loam.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loam bench trace PATH... [--mode per-txn|single] [--runs N] [--json]}. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description = {
      "Replays editing traces (josephg/editing-traces JSON, gzipped or not) as local edits into one text object "
          + "and reports replay, save, load, memory kept and syncing an empty peer.",
      "A trace file that does not exist is skipped with a message on stderr.",
      "Concurrent traces (kind: concurrent) are replayed with one document per agent; --mode does not apply to them."
    })
public final class TraceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Trace files (.json.gz or .json).")
  List<Path> paths;

  @Option(names = "--mode", defaultValue = "per-txn", paramLabel = "per-txn|single",
      description = "One change per trace transaction (default) or one change for all.")
  String mode;

  @Option(names = "--runs", defaultValue = "5", paramLabel = "N",
      description = "Runs per trace: the first is reported as cold, the median of the others as warm (default 5).")
  int runs;

  @Option(names = "--json", description = "Print one JSON object per trace.")
  boolean json;

  @Option(names = "--detail", hidden = true, description = "Add a detail object (cold save/load/sync, counts) to --json.")
  boolean detail;

  @Option(names = "--save-to", hidden = true, paramLabel = "DIR",
      description = "Write each trace's saved document to DIR/<trace>-<mode>.automerge (bench/compare checks it in Automerge JS).")
  Path saveTo;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (runs < 1) {
      throw new ParameterException(spec.commandLine(), "--runs " + runs + ": at least 1");
    }
    TraceReplay.Mode m;
    try {
      m = TraceReplay.Mode.parse(mode);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--mode " + mode + ": per-txn or single");
    }
    boolean allOk = true;
    for (Path p : paths) {
      if (!Files.isRegularFile(p)) {
        err.println("loam bench trace: skipping " + p + ": no such file");
        err.flush();
        continue;
      }
      Trace trace = Trace.read(p);
      TraceBench.Result r = TraceBench.run(trace, m, runs,
          saveTo == null ? null : saveTo.resolve(trace.name + "-" + (trace.concurrent ? "concurrent" : m.label) + ".automerge"));
      out.print(json ? r.toJson(detail) + System.lineSeparator() : r.toText());
      out.flush();
      allOk &= r.textOk() && r.loadOk() && r.syncOk();
    }
    return allOk ? 0 : 1;
  }
}
