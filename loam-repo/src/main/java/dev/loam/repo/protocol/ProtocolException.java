package dev.loam.repo.protocol;

import dev.loam.LoamException;

/** A frame or message that breaks the automerge-repo protocol: undecodable, missing a field, or not allowed. */
public class ProtocolException extends LoamException {
  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
