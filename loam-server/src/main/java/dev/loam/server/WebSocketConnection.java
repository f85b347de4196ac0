package dev.loam.server;

import dev.loam.repo.id.PeerId;
import dev.loam.repo.protocol.ProtocolException;
import dev.loam.repo.protocol.RepoMessage;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client's WebSocket, from upgrade to close: reassembles its messages, decodes them, enforces
 * the size and rate limits, and answers pings.
 *
 * <p>Threads: Jetty calls the {@code onWebSocket*} methods on its own threads, one at a time
 * (reading is demand-driven, and the connection demands the next frame only when it is done with
 * the previous one). Each complete message is then handled on a virtual thread from
 * {@link dev.loam.repo.internal.VirtualThreads}, holding {@link #inbound}, so the adapter's listener hears one message at a
 * time per connection; the close is handled the same way, after any message in progress. Sends may
 * come from any thread.
 *
 * <p>Public only because Jetty invokes its callbacks reflectively; applications never create one.
 */
public final class WebSocketConnection implements Session.Listener {
  private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);
  private static final byte[] EMPTY = new byte[0];

  private final WebSocketServerAdapter adapter;
  private final ServerLimits limits;
  private final ServerMetrics metrics;
  private final ExecutorService workers;
  private final RateLimiter rate;
  /** Outbound bytes handed to Jetty and not yet written; guarded by nothing (atomic). */
  private final AtomicLong pendingOut = new AtomicLong();
  private final long maxPendingOut;
  private final ReentrantLock inbound = new ReentrantLock();
  private final Object sendLock = new Object();

  // Written on Jetty's thread, read on the worker after the hand-off (ordered by the executor).
  private byte[] partial = EMPTY;
  private int partialSize;

  private volatile @Nullable Session session;
  private volatile @Nullable PeerId peer;
  /** True while the connection owes Jetty no demand: a message is being handled or rate-limited. */
  private volatile boolean busy;
  private volatile boolean pingOutstanding;
  private volatile boolean closing;

  WebSocketConnection(WebSocketServerAdapter adapter, ServerLimits limits, ServerMetrics metrics,
                      ExecutorService workers, RateLimiter rate) {
    this.adapter = adapter;
    this.limits = limits;
    this.metrics = metrics;
    this.workers = workers;
    this.rate = rate;
    this.maxPendingOut = Math.max(4L * limits.maxMessageBytes(), 256L << 20);
  }

  @Nullable PeerId peer() {
    return peer;
  }

  void peer(PeerId peer) {
    this.peer = peer;
  }

  // --- Jetty callbacks (Jetty's threads) ---

  @Override
  public void onWebSocketOpen(Session session) {
    this.session = session;
    adapter.opened(this);
    session.demand();
  }

  @Override
  public void onWebSocketPartialBinary(ByteBuffer payload, boolean last, Callback callback) {
    int n = payload.remaining();
    if ((long) partialSize + n > limits.maxMessageBytes()) {
      callback.succeed();
      partial = EMPTY;
      partialSize = 0;
      refuse(StatusCode.MESSAGE_TOO_LARGE, "message too large: over the limit of " + limits.maxMessageBytes() + " bytes",
          "too-large");
      return;
    }
    if (partialSize + n > partial.length) {
      partial = Arrays.copyOf(partial, Math.max(partialSize + n, Math.min(limits.maxMessageBytes(), partial.length * 2)));
    }
    payload.get(partial, partialSize, n);
    partialSize += n;
    callback.succeed();
    if (!last) {
      session().demand();
      return;
    }
    byte[] frame = partialSize == partial.length ? partial : Arrays.copyOf(partial, partialSize);
    partial = EMPTY;
    partialSize = 0;
    busy = true;
    workers.execute(() -> handle(frame));
  }

  @Override
  public void onWebSocketPartialText(String payload, boolean last) {
    refuse(StatusCode.BAD_DATA, "text frames are not part of the protocol: send binary CBOR", "text-frame");
  }

  @Override
  public void onWebSocketPong(ByteBuffer payload) {
    pingOutstanding = false;
    session().demand();
  }

  @Override
  public void onWebSocketPing(ByteBuffer payload) {
    session().sendPong(payload, Callback.NOOP);
    session().demand();
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    log.debug("connection {} failed", describe(), cause);
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason) {
    closing = true;
    workers.execute(() -> {
      inbound.lock();
      try {
        adapter.closed(this);
      } finally {
        inbound.unlock();
      }
    });
  }

  // --- inbound messages (a virtual thread, holding inbound) ---

  private void handle(byte[] frame) {
    inbound.lock();
    long delay;
    try {
      if (closing) {
        return;
      }
      RepoMessage message;
      try {
        message = RepoMessage.decode(frame);
      } catch (RuntimeException e) {
        log.info("closing connection {}: undecodable message ({}{})", describe(), e.getMessage(),
            e.getCause() == null ? "" : ": " + e.getCause().getMessage());
        refuse(StatusCode.BAD_PAYLOAD, "could not decode message: "
            + (e instanceof ProtocolException ? e.getMessage() : "malformed message"), "undecodable");
        return;
      }
      metrics.received(message.type(), frame.length);
      adapter.received(this, message);
      delay = rate.delayNanos(frame.length);
    } catch (RuntimeException e) {
      log.warn("closing connection {}: handling a message failed", describe(), e);
      refuse(StatusCode.SERVER_ERROR, "internal error", "internal-error");
      return;
    } finally {
      inbound.unlock();
    }
    if (delay > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    busy = false;
    Session s = session;
    if (s != null && s.isOpen() && !closing) {
      s.demand();
    }
  }

  // --- outbound (any thread) ---

  /** Queues {@code message} for this client, in call order. Drops it if the socket is closing. */
  void send(RepoMessage message) {
    byte[] bytes = message.encode();
    Session s = session;
    if (s == null || !s.isOpen()) {
      return;
    }
    long pending = pendingOut.addAndGet(bytes.length);
    if (pending > maxPendingOut) {
      pendingOut.addAndGet(-bytes.length);
      log.warn("closing connection {}: it reads too slowly ({} bytes waiting)", describe(), pending);
      terminate("slow-consumer");
      return;
    }
    synchronized (sendLock) {
      s.sendBinary(ByteBuffer.wrap(bytes), Callback.from(
          () -> pendingOut.addAndGet(-bytes.length),
          failure -> {
            pendingOut.addAndGet(-bytes.length);
            log.debug("send to {} failed", describe(), failure);
          }));
    }
    metrics.sent(message.type(), bytes.length);
  }

  /** Sends an {@code error} message, then closes with {@code status}. */
  void refuse(int status, String message, String reason) {
    if (closing) {
      return;
    }
    send(new RepoMessage.Error(adapter.self(), peer, message));
    closing = true;
    metrics.connectionClosed(reason);
    Session s = session;
    if (s != null) {
      s.close(status, truncate(message), Callback.NOOP);
    }
  }

  /** Closes normally (replaced by a newer socket, or the server is stopping). */
  void close(int status, String reason, String metricReason) {
    if (closing) {
      return;
    }
    closing = true;
    metrics.connectionClosed(metricReason);
    Session s = session;
    if (s != null) {
      s.close(status, reason, Callback.NOOP);
    }
  }

  /** Drops the TCP connection without a close handshake. */
  void terminate(String reason) {
    closing = true;
    metrics.connectionClosed(reason);
    Session s = session;
    if (s != null) {
      s.disconnect();
    }
  }

  /** Called by the ping timer: terminates a socket that missed the previous ping, else pings it. */
  void pingTick() {
    Session s = session;
    if (s == null || !s.isOpen() || closing) {
      return;
    }
    if (busy) {
      return; // we are not reading from it, so a missing pong proves nothing
    }
    if (pingOutstanding) {
      log.info("terminating connection {}: no pong to the previous ping", describe());
      terminate("ping-timeout");
      return;
    }
    pingOutstanding = true;
    s.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
  }

  boolean isOpen() {
    Session s = session;
    return s != null && s.isOpen();
  }

  String describe() {
    Session s = session;
    PeerId p = peer;
    return (p == null ? "(no join yet)" : p.value()) + "@" + (s == null ? "?" : s.getRemoteSocketAddress());
  }

  private Session session() {
    Session s = session;
    if (s == null) {
      throw new IllegalStateException("not open");
    }
    return s;
  }

  private static String truncate(String reason) {
    // A close reason is at most 123 bytes of UTF-8.
    return reason.length() <= 100 ? reason : reason.substring(0, 100);
  }
}
