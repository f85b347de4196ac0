package dev.loam.typed;

import dev.loam.LoamException;

/**
 * A class that cannot be mapped to a document (an unsupported component type, constructor
 * parameter names missing from the class file, an unparsable {@link Default}), or a value that
 * could not be built from what the document holds. Thrown when the mapper is built or used; the
 * document is left unchanged.
 */
public class MappingException extends LoamException {
  /** A mapping exception saying {@code message}. */
  public MappingException(String message) {
    super(message);
  }

  /** A mapping exception saying {@code message}, caused by {@code cause}. */
  public MappingException(String message, Throwable cause) {
    super(message, cause);
  }
}
