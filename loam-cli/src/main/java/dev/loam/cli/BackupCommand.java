package dev.loam.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code loam backup}: create, verify, list and restore backup archives of a repo's storage. */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description = {"Back up a repo's storage to one checksummed file, check it without restoring,",
        "list it, restore it. create reads the storage while loam serve keeps running",
        "on it (sqlite, fs or postgres, as for serve). A restore into storage that",
        "holds data merges: it never deletes or overwrites newer data (--replace does,",
        "for storage no server holds); --server URL restores through a running server.",
        "Encrypted archives take --passphrase-file PATH (or LOAM_BACKUP_PASSPHRASE)."})
final class BackupCommand implements Runnable {
  /** Its subcommands, in the order its help lists them (added by {@link Main#commandLine}: all, or the one named). */
  static final java.util.List<Class<?>> COMMANDS = java.util.List.of(
      BackupCreateCommand.class,
      BackupVerifyCommand.class,
      BackupLsCommand.class,
      BackupRestoreCommand.class);

  @Spec CommandSpec spec;

  /**
   * Checks that every archive named exists as a file.
   *
   * @throws CliException naming the first that does not
   */
  static void requireArchives(java.util.List<java.nio.file.Path> files) {
    for (java.nio.file.Path f : files) {
      if (!java.nio.file.Files.isRegularFile(f)) {
        throw new CliException("no backup file " + f);
      }
    }
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command: create, verify, ls or restore");
  }
}
