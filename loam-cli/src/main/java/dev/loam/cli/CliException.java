package dev.loam.cli;

/** A failure the user can fix: printed as one line on stderr, without a stack trace ({@link DeniedException} is the one kind with its own exit status). */
class CliException extends RuntimeException {
  CliException(String message) {
    super(message);
  }

  CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
