package dev.loam.cli;

import dev.loam.backup.Backup;
import dev.loam.backup.BackupCorruptException;
import dev.loam.backup.RestoreOptions;
import dev.loam.backup.RestoreSummary;
import dev.loam.backup.WrongPassphraseException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code loam backup restore FILE... [--data DIR] [--storage …] [--server URL] [--as-of TIME]
 * [--replace]}: restores a verified chain into storage no server holds (a CRDT merge, or with
 * {@code --replace} exactly the backup), or through a running server ({@link BackupServerRestore}).
 * Nothing is written unless the whole chain verifies.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = {"Restore a backup: a full backup, then its incrementals in order.",
        "Nothing is written unless the whole chain verifies.",
        "Into storage that holds data, a restore merges (an Automerge merge): it never",
        "deletes or overwrites newer data, and restoring twice changes nothing.",
        "--replace makes the storage hold exactly the backup; refused for storage a",
        "server holds. Into a running server, --server URL syncs the documents in, and",
        "its clients receive them as ordinary sync.",
        "--as-of TIME restores each document to its latest state whose changes all carry",
        "a time at or before TIME; change times come from the clocks of the devices that",
        "made the changes (the authors' clocks)."})
final class BackupRestoreCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "The full backup, then its incrementals in order.")
  List<Path> files;

  @Mixin BackupStorage storage;

  @Option(names = "--server", paramLabel = "URL",
      description = "Restore through the running sync server at URL (ws://HOST:PORT), as a client, instead of into storage.")
  @Nullable URI server;

  @Option(names = "--as-of", paramLabel = "TIME", converter = IsoTime.class,
      description = "Restore each document as of TIME, ISO-8601 with a zone, e.g. 2026-12-01T12:00:00Z (by the authors' clocks).")
  @Nullable Instant asOf;

  @Option(names = "--replace",
      description = "Make the storage hold exactly the backup: removes documents and changes the backup lacks. Refused for storage a server holds.")
  boolean replace;

  @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
      description = "With --server: give up when the server confirms no document for this long (default ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Mixin BackupPassphrase passphrase;

  @Override
  public Integer call() throws InterruptedException {
    if (server != null && replace) {
      throw new ParameterException(spec.commandLine(), "--replace cannot go through a server: a restore through sync"
          + " only adds changes; stop the server and restore into its storage with --replace");
    }
    if (server != null && storage.given()) {
      throw new ParameterException(spec.commandLine(), "--server restores through the server into its own storage;"
          + " --data, --storage and --postgres-url name storage to restore into without a server");
    }
    BackupCommand.requireArchives(files);
    Optional<dev.loam.backup.Passphrase> pass = passphrase.read();
    RestoreOptions options = replace ? RestoreOptions.replace() : RestoreOptions.merge();
    if (asOf != null) {
      options = options.withAsOf(asOf);
    }
    if (pass.isPresent()) {
      options = options.withPassphrase(pass.get());
    }
    PrintWriter out = spec.commandLine().getOut();
    try (Progress progress = Progress.start(spec.commandLine().getErr(), System.nanoTime(), Progress.onATerminal())) {
      if (server != null) {
        int n = BackupServerRestore.run(files, options, server, timeoutSeconds, progress);
        out.print("restored " + documents(n) + " into the server at " + server + asOfNote() + ": it has every backed-up"
            + " change; merged through sync: the server keeps its newer changes, and its clients receive the restored ones\n");
      } else {
        RestoreSummary s;
        try (BackupStorage.Target target = storage.target("loam backup restore")) {
          s = Backup.restore(files, target.storage(), options.withProgress(BackupProgress.to(progress, "restoring")));
        }
        out.print(summary(s) + "\n");
      }
    } catch (WrongPassphraseException e) {
      throw explain(e);
    } catch (BackupCorruptException e) {
      throw new CliException(e.getMessage() + "; nothing was restored ('loam backup verify' lists every fault)", e);
    } finally {
      pass.ifPresent(dev.loam.backup.Passphrase::clear);
    }
    out.flush();
    return 0;
  }

  private String summary(RestoreSummary s) {
    String head = "restored " + documents(s.written() + s.unchanged()) + " into " + storage.describe() + asOfNote() + ": "
        + s.written() + " written, " + s.unchanged() + " already up to date";
    if (replace) {
      return head + ", " + s.removed() + " removed; replaced: the storage holds exactly the backup";
    }
    return head + "; merged: nothing the storage held was deleted or overwritten, newer changes included"
        + (s.notYetCreated().isEmpty() ? "" : "; " + documents(s.notYetCreated().size()) + " had no change by the --as-of time");
  }

  private String asOfNote() {
    return asOf == null ? "" : " as of " + asOf + " (change times come from the authors' clocks)";
  }

  private static String documents(int n) {
    return n + " document" + (n == 1 ? "" : "s");
  }

  /** A wrong or missing passphrase, saying how to give one. */
  static CliException explain(WrongPassphraseException e) {
    return new CliException(e.getMessage() + (e.passphraseMissing() ? "; " + BackupPassphrase.howToGive() : ""), e);
  }

  /** Parses {@code --as-of}: an ISO-8601 instant ({@code 2026-12-01T12:00:00Z}) or date-time with an offset. */
  static final class IsoTime implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException notAnInstant) {
        try {
          return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
          throw new TypeConversionException("not an ISO-8601 time with a zone: " + value + " (e.g. 2026-12-01T12:00:00Z)");
        }
      }
    }
  }
}
