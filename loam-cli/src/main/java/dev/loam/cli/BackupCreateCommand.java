package dev.loam.cli;

import dev.loam.backup.Backup;
import dev.loam.backup.BackupSource;
import dev.loam.backup.BackupSummary;
import dev.loam.backup.CreateOptions;
import dev.loam.repo.spi.StorageSnapshot;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code loam backup create --out FILE [--since PREVIOUS] [--data DIR] [--storage …]}: writes a
 * backup archive of a repo's storage, online: it reads a read-only snapshot of the storage (see
 * {@link BackupStorage#snapshot}) and takes no lock, so a {@code loam serve} on the same folder or
 * database keeps serving and writing. Each document is captured at one set of heads. The archive is
 * written under a temporary name and renamed when complete: a run that fails or is killed leaves
 * nothing under {@code FILE}.
 */
@Command(name = "create", mixinStandardHelpOptions = true,
    description = {"Write a backup of a repo's storage to FILE; loam serve may keep running on it.",
        "Prints the documents and bytes written; shows progress on stderr on a terminal.",
        "With --since, an incremental backup of what changed after the previous backup",
        "(for a chain, the full backup first: --since FULL --since INC1 ...).",
        "FILE must not exist; a run that fails or is killed leaves no file under its name."})
final class BackupCreateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The archive to write (must not exist).")
  Path out;

  @Option(names = "--since", paramLabel = "PREVIOUS",
      description = "Back up only what changed after the backup PREVIOUS; repeat for a chain, the full backup first.")
  List<Path> since = new ArrayList<>();

  @Mixin BackupStorage storage;

  @Mixin BackupPassphrase passphrase;

  @Override
  public Integer call() {
    if (Files.exists(out)) {
      throw new CliException(out + " exists: give --out a new file name (a backup never overwrites a file)");
    }
    for (Path p : since) {
      if (!Files.isRegularFile(p)) {
        throw new CliException("--since " + p + ": no such backup file");
      }
      if (p.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
        throw new CliException("--since and --out name the same file " + out);
      }
    }
    Optional<dev.loam.backup.Passphrase> pass = passphrase.read();
    PrintWriter err = spec.commandLine().getErr();
    BackupSummary summary;
    try (Progress progress = Progress.start(err, System.nanoTime(), Progress.onATerminal());
        StorageSnapshot source = storage.snapshot()) {
      CreateOptions options = CreateOptions.full().withSince(since).withProgress(BackupProgress.to(progress, "backing up"));
      if (pass.isPresent()) {
        options = options.withPassphrase(pass.get());
      }
      summary = Backup.create(BackupSource.of(source), out, options);
    } catch (dev.loam.backup.WrongPassphraseException e) {
      throw BackupRestoreCommand.explain(e);
    } catch (dev.loam.backup.BackupCorruptException e) {
      throw new CliException("--since: " + e.getMessage() + "; give the previous backup's whole chain, the full backup"
          + " first (--since FULL --since INC1 ...), and check it with 'loam backup verify'", e);
    } catch (UncheckedIOException e) {
      throw new CliException("could not write the backup " + out + ": " + Main.oneLine(e.getCause().getMessage())
          + " (nothing was left under that name)", e);
    } finally {
      pass.ifPresent(dev.loam.backup.Passphrase::clear);
    }
    PrintWriter o = spec.commandLine().getOut();
    for (String w : summary.warnings()) {
      err.print("loam backup create: warning: " + Main.oneLine(w) + "\n");
    }
    err.flush();
    o.print(line(summary) + "\n");
    o.flush();
    return 0;
  }

  /** The summary line: what was backed up, from where, into what. */
  private String line(BackupSummary s) {
    String kind = s.parentId().map(p -> "incremental backup " + s.backupId() + " after " + p + " ("
            + s.full() + " new, " + s.incremental() + " changed, " + s.unchanged() + " unchanged, " + s.removed() + " removed)")
        .orElse("full backup " + s.backupId());
    return "backed up " + s.documents() + " document" + (s.documents() == 1 ? "" : "s")
        + (s.secure() > 0 ? " (" + s.secure() + " secure)" : "") + " of " + storage.describe() + ": " + s.dataBytes()
        + " bytes of documents; wrote " + s.file() + ", " + s.bytes() + " bytes, " + kind;
  }
}
