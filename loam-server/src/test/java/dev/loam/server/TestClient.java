package dev.loam.server;

import dev.loam.repo.id.PeerId;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A plain {@code java.net.http} WebSocket client speaking the automerge-repo CBOR protocol, for tests. */
final class TestClient implements AutoCloseable {
  record Closed(int status, String reason) {}

  final PeerId id;
  final WebSocket socket;
  final BlockingQueue<RepoMessage> inbox = new LinkedBlockingQueue<>();
  final CompletableFuture<Closed> closed = new CompletableFuture<>();

  private TestClient(PeerId id, WebSocket socket) {
    this.id = id;
    this.socket = socket;
  }

  static TestClient connect(int port, String peer) throws Exception {
    BlockingQueue<RepoMessage> inbox = new LinkedBlockingQueue<>();
    CompletableFuture<Closed> closed = new CompletableFuture<>();
    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), new WebSocket.Listener() {
          final ByteArrayOutputStream partial = new ByteArrayOutputStream();

          @Override
          public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            partial.writeBytes(b);
            if (last) {
              inbox.add(RepoMessage.decode(partial.toByteArray()));
              partial.reset();
            }
            webSocket.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason));
            return null;
          }

          @Override
          public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Closed(-1, String.valueOf(error)));
          }
        }).get(5, TimeUnit.SECONDS);
    TestClient c = new TestClient(PeerId.of(peer), ws);
    // The listener captured the locals; expose them through the instance.
    c.inboxFrom(inbox, closed);
    return c;
  }

  private void inboxFrom(BlockingQueue<RepoMessage> q, CompletableFuture<Closed> done) {
    Thread.ofVirtual().start(() -> {
      try {
        while (true) {
          RepoMessage m = q.poll(100, TimeUnit.MILLISECONDS);
          if (m != null) {
            inbox.add(m);
          } else if (done.isDone() && q.isEmpty()) {
            closed.complete(done.join());
            return;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  void sendRaw(byte[] frame) throws Exception {
    socket.sendBinary(ByteBuffer.wrap(frame), true).get(10, TimeUnit.SECONDS);
  }

  void send(RepoMessage message) throws Exception {
    sendRaw(message.encode());
  }

  RepoMessage.Peer join() throws Exception {
    send(new RepoMessage.Join(id, PeerMetadata.EPHEMERAL, List.of("1")));
    return (RepoMessage.Peer) next();
  }

  RepoMessage next() throws InterruptedException {
    RepoMessage m = inbox.poll(10, TimeUnit.SECONDS);
    if (m == null) {
      throw new AssertionError(id + ": no message within 10 s");
    }
    return m;
  }

  /** The next message of type {@code type}, skipping others. */
  <T extends RepoMessage> T next(Class<T> type) throws InterruptedException {
    while (true) {
      RepoMessage m = next();
      if (type.isInstance(m)) {
        return type.cast(m);
      }
    }
  }

  Closed awaitClose() throws Exception {
    return closed.get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    socket.abort();
  }
}
