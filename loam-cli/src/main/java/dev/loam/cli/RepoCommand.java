package dev.loam.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code loam repo}: commands on a local repo folder (the SQLite file {@code loam serve} keeps). */
@Command(
    name = "repo",
    mixinStandardHelpOptions = true,
    description = {
      "List, create, print, edit and remove the documents of a local repo folder (--data, default ./loam-data).",
      "The folder is the one 'loam serve' uses; a repo command refuses a folder a running server holds.",
      "Secure documents (loam-secure: URLs) take --id FILE (or LOAM_ID): share, unshare and members work on them only."
    })
final class RepoCommand implements Runnable {
  /** Its subcommands, in the order its help lists them (added by {@link Main#commandLine}: all, or the one named). */
  static final java.util.List<Class<?>> COMMANDS = java.util.List.of(
      RepoLsCommand.class,
      RepoNewCommand.class,
      RepoCatCommand.class,
      RepoEditCommand.class,
      RepoRmCommand.class,
      RepoShareCommand.class,
      RepoUnshareCommand.class,
      RepoMembersCommand.class);

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command: ls, new, cat, edit, rm, share, unshare or members");
  }
}
