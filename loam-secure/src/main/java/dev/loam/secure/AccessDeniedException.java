package dev.loam.secure;

import dev.loam.LoamException;

/**
 * This identity's level in a secure document does not allow what was asked (edit as a reader,
 * share as an editor, read without a key). Nothing was changed. The message names the level
 * needed, never content.
 */
public final class AccessDeniedException extends LoamException {
  private static final long serialVersionUID = 1L;

  /** A refusal; {@code message} names the rule and the level needed. */
  public AccessDeniedException(String message) {
    super(message);
  }
}
