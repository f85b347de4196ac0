package dev.loam.cli;

/**
 * The identity a command acts as may not do what it asked (read, edit, share a secure document):
 * one line on stderr, never any document content, and exit status {@value Main#DENIED}.
 */
public final class DeniedException extends CliException {
  DeniedException(String message) {
    super(message);
  }
}
