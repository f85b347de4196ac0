package dev.loam.mcp;

/**
 * A tool call refused or failed in a way the assistant can act on (a bad argument, an unknown
 * document, a size beyond {@link Limits}, a secure document the identity may not touch): its
 * message becomes the tool's error result. Thrown before anything is written, or by a write that
 * was rolled back.
 */
final class ToolException extends RuntimeException {
  ToolException(String message) {
    super(message);
  }

  ToolException(String message, Throwable cause) {
    super(message, cause);
  }
}
