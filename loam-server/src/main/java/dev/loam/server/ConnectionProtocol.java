package dev.loam.server;

/**
 * What the messages of one kind of {@link WebSocketConnection} mean: automerge-repo's protocol
 * ({@link WebSocketServerAdapter}) or the secure documents' ({@link SecureSession}). The
 * connection does the framing, limits and liveness; the protocol decodes and handles whole
 * messages. Called on the connection's worker, one call at a time per connection.
 *
 * @param <M> the protocol's message type
 */
interface ConnectionProtocol<M> {
  /** The socket is open. */
  void opened(WebSocketConnection c);

  /**
   * The message in {@code frame}.
   *
   * @throws RuntimeException if it is not one: the connection answers {@link #errorFrame} and closes
   */
  M decode(byte[] frame);

  /** Why {@code failure} (thrown by {@link #decode}) happened, in words safe to send to the client. */
  String decodeFailure(RuntimeException failure);

  /** The message's type, for metrics. */
  String type(M message);

  /** Handles one decoded message. */
  void received(WebSocketConnection c, M message);

  /** The socket closed (after any message in progress). */
  void closed(WebSocketConnection c);

  /** The frame that tells the client why the server closes the connection. */
  byte[] errorFrame(WebSocketConnection c, String message);
}
