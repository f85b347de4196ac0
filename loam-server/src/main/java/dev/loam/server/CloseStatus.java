package dev.loam.server;

/** The WebSocket close codes the server sends and checks (RFC 6455, section 7.4, and IANA's registry). */
final class CloseStatus {
  static final int NORMAL = 1000;
  static final int SHUTDOWN = 1001;
  static final int PROTOCOL = 1002;
  static final int BAD_DATA = 1003;
  /** Reported locally when the close frame carried no code; never sent. */
  static final int NO_CODE = 1005;
  /** Reported locally when the connection ended without a close frame; never sent. */
  static final int NO_CLOSE = 1006;
  static final int BAD_PAYLOAD = 1007;
  static final int POLICY_VIOLATION = 1008;
  static final int MESSAGE_TOO_LARGE = 1009;
  static final int SERVER_ERROR = 1011;
  static final int TRY_AGAIN_LATER = 1013;

  private CloseStatus() {}

  /** True if a peer may send {@code code} in a close frame. */
  static boolean sendable(int code) {
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
  }
}
