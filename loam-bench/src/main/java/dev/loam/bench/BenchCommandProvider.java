package dev.loam.bench;

import dev.loam.cli.CommandProvider;

/** Registers {@code loam bench} with the CLI when loam-bench's jar is on the class path (see {@code ./loam}). */
public final class BenchCommandProvider implements CommandProvider {
  @Override
  public Object command() {
    return new BenchCommand();
  }
}
