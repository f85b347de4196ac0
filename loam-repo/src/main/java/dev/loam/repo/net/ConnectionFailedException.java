package dev.loam.repo.net;

import dev.loam.LoamException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.WebSocketHandshakeException;
import java.nio.channels.UnresolvedAddressException;

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

  /** No connection could be opened to {@code server}, for {@code cause}. */
  static ConnectionFailedException unreachable(URI server, Throwable cause) {
    return new ConnectionFailedException("could not reach the sync server at " + server + ": " + describe(server, cause),
        cause);
  }

  /** Why a connection attempt to {@code server} failed, in words (the exception's class says it, its message often does not). */
  static String describe(URI server, Throwable cause) {
    return switch (cause) {
      case ConnectException e -> "connection refused (is the server running on port " + server.getPort() + "?)";
      case WebSocketHandshakeException e -> "it answered HTTP " + e.getResponse().statusCode()
          + " instead of a WebSocket handshake";
      case UnresolvedAddressException e -> "unknown host " + server.getHost();
      case UnknownHostException e -> "unknown host " + server.getHost();
      default -> cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    };
  }
}
