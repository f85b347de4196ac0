package dev.loam.cli;

import dev.loam.backup.ArchiveEntry;
import dev.loam.backup.ArchiveInfo;
import dev.loam.backup.Backup;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code loam backup ls FILE}: one line per document of an archive's manifest, its URL and its
 * heads (lowercase hex, comma-separated), after checking the file's checksum.
 */
@Command(name = "ls", mixinStandardHelpOptions = true,
    description = {"List a backup's documents, one line each: its automerge: URL (loam-secure: for",
        "a secure document) and its heads (hex, comma-separated); 'removed' for one an",
        "incremental backup records as removed since the previous backup. Checks the",
        "file's checksum first; 'loam backup verify' checks every document."})
final class BackupLsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The backup archive.")
  Path file;

  @Mixin BackupPassphrase passphrase;

  @Override
  public Integer call() {
    BackupCommand.requireArchives(java.util.List.of(file));
    Optional<dev.loam.backup.Passphrase> pass = passphrase.read();
    ArchiveInfo info;
    try {
      info = Backup.list(file, pass);
    } catch (dev.loam.backup.WrongPassphraseException e) {
      throw BackupRestoreCommand.explain(e);
    } finally {
      pass.ifPresent(dev.loam.backup.Passphrase::clear);
    }
    PrintWriter out = spec.commandLine().getOut();
    for (ArchiveEntry e : info.entries()) {
      out.print(e.url() + " " + (e.kind() == ArchiveEntry.Kind.REMOVED ? "removed" : e.heads().isEmpty() ? "none" : e.headsHex()) + "\n");
    }
    out.flush();
    return 0;
  }
}
