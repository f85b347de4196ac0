package dev.loam.cli;

import dev.loam.secure.Identity;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code --id FILE} option of the commands that act as a member of a secure document, falling
 * back to the environment variable {@value #ENV}, with the identity's passphrase as {@code loam id}
 * takes it. Plain documents ignore it. Used by one command on one thread.
 */
public final class IdOption {
  static final String ENV = "LOAM_ID";

  @Option(names = "--id", paramLabel = "FILE",
      description = "The identity to act as, for a secure document (loam-secure: URL). Default: the environment variable " + ENV + ", if set.")
  @Nullable Path file;

  @Mixin Passphrase passphrase;

  /** Reads the environment; tests replace it (with {@link #env(Function)}). */
  private Function<String, @Nullable String> env = System::getenv;

  /** Replaces the environment this option and its passphrase read. */
  void env(Function<String, @Nullable String> environment) {
    this.env = environment;
    passphrase.env = environment;
  }

  /** The identity file given, if any. */
  public Optional<Path> path() {
    if (file != null) {
      return Optional.of(file);
    }
    String value = env.apply(ENV);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(Path.of(value));
  }

  /**
   * Loads the identity a secure document's command needs.
   *
   * @throws CliException if none is given, or the file cannot be opened
   */
  public Identity load(String command) {
    Path path = path().orElseThrow(() -> new CliException(
        command + " of a secure document needs an identity: --id FILE, or the environment variable " + ENV));
    return IdShowCommand.load(path, passphrase);
  }
}
