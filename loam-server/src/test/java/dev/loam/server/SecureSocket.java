package dev.loam.server;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.secure.Identity;
import dev.loam.secure.SecureItem;
import dev.loam.secure.net.SecureMessage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test client of the secure path that does exactly what it is told (including what a real
 * client never does): raw frames, replays, no auth. Records every frame it receives, so tests can
 * look for what a non-member was given.
 */
final class SecureSocket implements AutoCloseable {
  record Closed(int status, String reason) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  final WebSocket socket;
  final BlockingQueue<SecureMessage> inbox = new LinkedBlockingQueue<>();
  final List<byte[]> received = java.util.Collections.synchronizedList(new ArrayList<>());
  final CompletableFuture<Closed> closed = new CompletableFuture<>();
  final SecureMessage.Challenge challenge;

  private SecureSocket(int port, String path) throws Exception {
    this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
        .buildAsync(URI.create("ws://127.0.0.1:" + port + path), new WebSocket.Listener() {
          final ByteArrayOutputStream partial = new ByteArrayOutputStream();

          @Override
          public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            partial.writeBytes(b);
            if (last) {
              byte[] frame = partial.toByteArray();
              received.add(frame);
              inbox.add(SecureMessage.decode(frame));
              partial.reset();
            }
            ws.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason));
            return null;
          }

          @Override
          public void onError(WebSocket ws, Throwable error) {
            closed.complete(new Closed(-1, String.valueOf(error)));
          }
        }).get(5, TimeUnit.SECONDS);
    this.challenge = next(SecureMessage.Challenge.class);
  }

  /** Connects to the secure path and reads the challenge; does not authenticate. */
  static SecureSocket open(int port) throws Exception {
    return new SecureSocket(port, SecureMessage.PATH);
  }

  /** Connects and authenticates as {@code who} at {@code millis}. */
  static SecureSocket authenticated(int port, Identity who, long millis) throws Exception {
    SecureSocket s = open(port);
    s.send(SecureMessage.Auth.sign(who.signingKey(), s.challenge, millis));
    s.next(SecureMessage.Authenticated.class);
    return s;
  }

  void sendRaw(byte[] frame) throws Exception {
    socket.sendBinary(ByteBuffer.wrap(frame), true).get(10, TimeUnit.SECONDS);
  }

  void send(SecureMessage message) throws Exception {
    sendRaw(message.encode());
  }

  static Bytes nonce() {
    byte[] b = new byte[SecureMessage.NONCE_LENGTH];
    RANDOM.nextBytes(b);
    return Bytes.wrap(b);
  }

  /** A pull signed by {@code who} for this connection. */
  SecureMessage.Pull pull(Identity who, DocumentId doc, long cursor, boolean subscribe, long millis) {
    return SecureMessage.Pull.sign(who.signingKey(), challenge.nonce(), doc, cursor, subscribe, nonce(), millis,
        challenge.audience());
  }

  /** Sends {@code pull} and collects the items answered until {@code pulled}. */
  Pulled pullAll(SecureMessage.Pull pull) throws Exception {
    send(pull);
    List<Bytes> items = new ArrayList<>();
    while (true) {
      SecureMessage m = next();
      if (m instanceof SecureMessage.Items i) {
        i.items().forEach(s -> items.add(s.encoded()));
      } else if (m instanceof SecureMessage.Pulled p) {
        return new Pulled(items, p.cursor());
      } else {
        throw new AssertionError("unexpected " + m);
      }
    }
  }

  record Pulled(List<Bytes> items, long cursor) {}

  SecureMessage.Pushed push(DocumentId doc, SecureItem... items) throws Exception {
    send(new SecureMessage.Push(doc, java.util.Arrays.stream(items).map(SecureItem::encoded).toList()));
    return next(SecureMessage.Pushed.class);
  }

  SecureMessage next() throws InterruptedException {
    SecureMessage m = inbox.poll(10, TimeUnit.SECONDS);
    if (m == null) {
      throw new AssertionError("no message within 10 s (closed: " + closed.getNow(null) + ")");
    }
    return m;
  }

  <T extends SecureMessage> T next(Class<T> type) throws InterruptedException {
    SecureMessage m = next();
    if (!type.isInstance(m)) {
      throw new AssertionError("expected " + type.getSimpleName() + ", got " + m);
    }
    return type.cast(m);
  }

  /** Expects {@code error} then the close; returns the error's message. */
  String refused() throws Exception {
    String message = next(SecureMessage.Error.class).message();
    closed.get(10, TimeUnit.SECONDS);
    return message;
  }

  @Override
  public void close() {
    socket.abort();
  }
}
