package dev.loam.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code loam doc}: commands on Automerge files (any sequence of document and change chunks). */
@Command(
    name = "doc",
    mixinStandardHelpOptions = true,
    description = "Create, read, edit and merge Automerge files.",
    subcommands = {
      DocNewCommand.class,
      DocJsonCommand.class,
      DocHeadsCommand.class,
      DocLogCommand.class,
      DocImportCommand.class,
      DocEditCommand.class,
      DocMergeCommand.class
    })
final class DocCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command: new, json, heads, log, import, edit or merge");
  }
}
