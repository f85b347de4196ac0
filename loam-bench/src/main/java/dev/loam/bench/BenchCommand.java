package dev.loam.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code loam bench}: performance measurements. Not part of the shipped CLI. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure Loam: replay editing traces (see docs/benchmarks.md).",
    subcommands = {TraceCommand.class, SearchBenchCommand.class, BackupBenchCommand.class, RelayCommand.class,
        ServerLoadCommand.class, ScaleCommand.class})
public final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command: try 'loam bench trace --help'");
  }
}
