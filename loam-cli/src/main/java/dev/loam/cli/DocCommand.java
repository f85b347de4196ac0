package dev.loam.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code loam doc}: commands on Automerge files (any sequence of document and change chunks). */
@Command(
    name = "doc",
    mixinStandardHelpOptions = true,
    description = {
      "Create, read, edit, merge, compact, examine and sync Automerge files.",
      "FILE is any Automerge file: a sequence of document and change chunks, as save(), "
          + "saveIncremental() or a concatenation of them writes it. Commands that write replace "
          + "their output atomically and leave their inputs untouched when they fail."
    })
final class DocCommand implements Runnable {
  /** Its subcommands, in the order its help lists them (added by {@link Main#commandLine}: all, or the one named). */
  static final java.util.List<Class<?>> COMMANDS = java.util.List.of(
      DocNewCommand.class,
      DocJsonCommand.class,
      DocHeadsCommand.class,
      DocLogCommand.class,
      DocImportCommand.class,
      DocEditCommand.class,
      DocMergeCommand.class,
      DocSaveAsCommand.class,
      DocExamineCommand.class,
      DocSyncCommand.class,
      DocSyncStdioCommand.class);

  @Spec CommandSpec spec;

  @ParentCommand Main main;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command: new, json, heads, log, import, edit, merge, save-as, examine, sync or sync-stdio");
  }
}
