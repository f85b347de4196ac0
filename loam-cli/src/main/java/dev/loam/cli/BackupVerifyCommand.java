package dev.loam.cli;

import dev.loam.backup.ArchiveInfo;
import dev.loam.backup.Backup;
import dev.loam.backup.Fault;
import dev.loam.backup.VerifyReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code loam backup verify FILE...}: checks a chain (a full backup, then its incrementals in order)
 * without restoring it: every byte's checksum, every entry, every document loads at the manifest's
 * heads, the chain links up. Prints one line per archive, then each fault by name (archive,
 * document, check); exits 0 only if every check passed.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Check a backup without restoring it: a full backup, then its incrementals in",
        "order. Checks every byte's checksum, every entry, that every document loads",
        "with the manifest's heads, and the chain. Prints one line per archive and one",
        "per fault (archive, document, check); exit status 0 only if every check passes."})
final class BackupVerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "The full backup, then its incrementals in order.")
  List<Path> files;

  @Mixin BackupPassphrase passphrase;

  @Override
  public Integer call() {
    BackupCommand.requireArchives(files);
    Optional<dev.loam.backup.Passphrase> pass = passphrase.read();
    VerifyReport report;
    try (Progress progress = Progress.start(spec.commandLine().getErr(), System.nanoTime(), Progress.onATerminal())) {
      report = Backup.verify(files, pass, BackupProgress.to(progress, "verifying"));
    } finally {
      pass.ifPresent(dev.loam.backup.Passphrase::clear);
    }
    PrintWriter out = spec.commandLine().getOut();
    for (ArchiveInfo a : report.archives()) {
      out.print(a.file() + ": " + describe(a) + "\n");
    }
    for (Fault f : report.faults()) {
      out.print("FAULT " + describe(f) + "\n");
    }
    out.flush();
    if (!report.ok()) {
      boolean passphraseOnly = report.faults().stream().allMatch(f -> f.check() == Fault.Check.PASSPHRASE);
      throw new CliException(report.faults().size() + " fault" + (report.faults().size() == 1 ? "" : "s")
          + (passphraseOnly ? ": an archive is encrypted and did not open; " + BackupPassphrase.howToGive()
              : " found: this backup is damaged and a restore refuses it"));
    }
    out.print("ok: every check passed (" + report.archives().size() + " archive" + (report.archives().size() == 1 ? "" : "s")
        + ", " + report.documents() + " document" + (report.documents() == 1 ? "" : "s") + ")\n");
    out.flush();
    return 0;
  }

  /** An archive in words: kind, id, parent, documents, time, encryption. */
  static String describe(ArchiveInfo a) {
    return (a.isFull() ? "full backup " + a.backupId() : "incremental backup " + a.backupId() + " after " + a.parentId().orElseThrow())
        + ", " + a.entries().size() + " entr" + (a.entries().size() == 1 ? "y" : "ies") + ", taken " + a.created()
        + (a.encrypted() ? ", encrypted" : "");
  }

  /** A fault by name: archive, document (as its URL) when one is concerned, check, detail. */
  static String describe(Fault f) {
    return f.archive() + ": " + f.document().map(d -> "document " + d.toUrl() + ": ").orElse("") + f.check() + ": "
        + Main.oneLine(f.detail());
  }
}
