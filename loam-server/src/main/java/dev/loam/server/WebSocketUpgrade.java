package dev.loam.server;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.function.Function;

/**
 * The WebSocket opening handshake (RFC 6455, section 4.2) on HTTP/1.1: a request that asks to
 * upgrade to {@code websocket} is answered {@code 101} and its connection handed to a
 * {@link FrameConnection}; any other request goes to the next handler. No subprotocol and no
 * extension is ever agreed (automerge-repo's server agrees none either; see
 * {@link WebSocketServerAdapter#handler}).
 */
final class WebSocketUpgrade extends Handler.Wrapper {
  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private final Function<Request, FrameConnection.Listener> listeners;

  /** {@code listeners} gives the listener of each upgraded request (by its path, say). */
  WebSocketUpgrade(@Nullable Handler next, Function<Request, FrameConnection.Listener> listeners) {
    super(next);
    this.listeners = listeners;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!request.getHeaders().contains(HttpHeader.UPGRADE, "websocket")) {
      return super.handle(request, response, callback);
    }
    if (request.getConnectionMetaData().getHttpVersion() != HttpVersion.HTTP_1_1
        || !HttpMethod.GET.is(request.getMethod())
        || !request.getHeaders().contains(HttpHeader.CONNECTION, "upgrade")) {
      Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400,
          "a WebSocket upgrade is a GET over HTTP/1.1 with Connection: Upgrade");
      return true;
    }
    if (!"13".equals(request.getHeaders().get(HttpHeader.SEC_WEBSOCKET_VERSION))) {
      response.getHeaders().put(HttpHeader.SEC_WEBSOCKET_VERSION, "13");
      Response.writeError(request, response, callback, HttpStatus.UPGRADE_REQUIRED_426,
          "unsupported WebSocket version: this server speaks version 13");
      return true;
    }
    String key = request.getHeaders().get(HttpHeader.SEC_WEBSOCKET_KEY);
    if (!validKey(key)) {
      Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400,
          "Sec-WebSocket-Key must be 16 bytes in base64");
      return true;
    }
    var meta = request.getConnectionMetaData();
    FrameConnection socket = new FrameConnection(meta.getConnection().getEndPoint(), meta.getConnector().getExecutor(),
        meta.getConnector().getByteBufferPool(), listeners.apply(request));
    request.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, socket);
    response.setStatus(HttpStatus.SWITCHING_PROTOCOLS_101);
    response.getHeaders().put(HttpHeader.UPGRADE, "websocket");
    response.getHeaders().put(HttpHeader.CONNECTION, "Upgrade");
    response.getHeaders().put(HttpHeader.SEC_WEBSOCKET_ACCEPT, accept(key));
    callback.succeeded();
    return true;
  }

  private static boolean validKey(String key) {
    if (key == null) {
      return false;
    }
    try {
      return Base64.getDecoder().decode(key.trim()).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The {@code Sec-WebSocket-Accept} value for {@code key}: base64(SHA-1(key + GUID)). */
  static String accept(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      return Base64.getEncoder().encodeToString(
          sha1.digest((key.trim() + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
  }
}
