package dev.loam.cli;

import java.io.IOException;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The {@code --passphrase-file} option of the {@code loam id} commands, falling back to the
 * environment variable {@value #ENV}. Used by one command on one thread.
 */
final class Passphrase {
  static final String ENV = "LOAM_ID_PASSPHRASE";

  @Option(names = "--passphrase-file", paramLabel = "PATH",
      description = "Read the passphrase from this file (UTF-8; one trailing newline is ignored). Default: the environment variable " + ENV + ", if set.")
  @Nullable Path file;

  /** Reads the environment; tests replace it. */
  Function<String, @Nullable String> env = System::getenv;

  /** The passphrase given, if any (the caller clears the array). */
  Optional<char[]> read() {
    return read(file, ENV, env);
  }

  /**
   * The passphrase in {@code file} if given, else in the environment variable {@code envName} (of
   * {@code env}) if set, else empty (the caller clears the array).
   *
   * @throws CliException if the file cannot be read or is empty, or the variable is set but empty
   */
  static Optional<char[]> read(@Nullable Path file, String envName, Function<String, @Nullable String> env) {
    if (file != null) {
      return Optional.of(fromFile(file));
    }
    String value = env.apply(envName);
    if (value == null) {
      return Optional.empty();
    }
    if (value.isEmpty()) {
      throw new CliException(envName + " is set but empty: unset it, or set it to the passphrase");
    }
    return Optional.of(value.toCharArray());
  }

  /** Where the passphrase comes from, for messages. */
  static String howToGive() {
    return "give it with --passphrase-file PATH or the environment variable " + ENV;
  }

  private static char[] fromFile(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CliException("no passphrase file " + file, e);
    } catch (IOException e) {
      throw new CliException("cannot read the passphrase file " + file + ": " + e.getMessage(), e);
    }
    try {
      int end = bytes.length;
      if (end > 0 && bytes[end - 1] == '\n') {
        end--;
        if (end > 0 && bytes[end - 1] == '\r') {
          end--;
        }
      }
      if (end == 0) {
        throw new CliException("the passphrase file " + file + " is empty");
      }
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes, 0, end));
      char[] out = Arrays.copyOfRange(chars.array(), chars.position(), chars.limit());
      Arrays.fill(chars.array(), '\0');
      return out;
    } catch (CharacterCodingException e) {
      throw new CliException("the passphrase file " + file + " is not UTF-8 text", e);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** Clears a passphrase the command is done with. */
  static void clear(Optional<char[]> passphrase) {
    passphrase.ifPresent(p -> Arrays.fill(p, '\0'));
  }
}
