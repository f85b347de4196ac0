package dev.loam.repo.net;

import dev.loam.LoamException;

/**
 * A connection to a sync server that failed in a way waiting would not mend soon: nothing
 * listens at the address, the host is unknown, or the server answered something other than a
 * WebSocket handshake. The message names the server and the cause in one sentence.
 */
public final class ConnectionFailedException extends LoamException {
  /** A connection that failed as {@code message} says, caused by {@code cause}. */
  public ConnectionFailedException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A connection that failed as {@code message} says. */
  public ConnectionFailedException(String message) {
    super(message);
  }
}
