package dev.loam.repo.protocol;

import dev.loam.LoamException;

/** A frame or message that breaks the automerge-repo protocol: undecodable, missing a field, or not allowed. */
public class ProtocolException extends LoamException {
  /** A frame that breaks the protocol as {@code message} says. */
  public ProtocolException(String message) {
    super(message);
  }

  /** A frame that breaks the protocol as {@code message} says, caused by {@code cause}. */
  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
