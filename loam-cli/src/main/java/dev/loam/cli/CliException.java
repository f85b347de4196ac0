package dev.loam.cli;

/** A failure the user can fix: printed as one line on stderr, without a stack trace ({@link DeniedException} is the one kind with its own exit status). */
public class CliException extends RuntimeException {
  public CliException(String message) {
    super(message);
  }

  public CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
