package dev.loam.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The {@code --passphrase-file} option of the {@code loam backup} commands, falling back to the
 * environment variable {@value #ENV}, as {@code loam id} takes an identity's passphrase
 * ({@link Passphrase}). Used by one command on one thread.
 */
final class BackupPassphrase {
  static final String ENV = "LOAM_BACKUP_PASSPHRASE";

  @Option(names = "--passphrase-file", paramLabel = "PATH",
      description = {"The archive's passphrase, from this file (UTF-8; one trailing newline is ignored).",
          "Default: the environment variable " + ENV + ", if set."})
  @Nullable Path file;

  /** Reads the environment; tests replace it. */
  Function<String, @Nullable String> env = System::getenv;

  /** The passphrase given, if any. */
  Optional<dev.loam.backup.Passphrase> read() {
    return Passphrase.read(file, ENV, env).map(chars -> {
      try {
        return dev.loam.backup.Passphrase.of(chars);
      } finally {
        Arrays.fill(chars, '\0');
      }
    });
  }

  /** How to give the passphrase, for messages. */
  static String howToGive() {
    return "give it with --passphrase-file PATH or the environment variable " + ENV;
  }
}
