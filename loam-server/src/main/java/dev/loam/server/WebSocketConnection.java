package dev.loam.server;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.protocol.RepoMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * One client's WebSocket, from upgrade to close: reassembles its messages within the server-wide
 * {@linkplain UnfinishedBudget budget}, decodes them, enforces the size and rate limits, answers
 * pings and drops the socket when the client falls silent.
 *
 * <p>Threads: the {@link FrameConnection} calls the {@code on*} methods one at a time, on
 * whichever thread reads the socket (reading pauses after each whole message until this
 * connection has handled it). Each complete message is then handled on a virtual thread from
 * {@link dev.loam.repo.internal.VirtualThreads}, holding {@link #inbound}, so the adapter's listener hears one message at a
 * time per connection; the close is handled the same way, after any message in progress. Sends may
 * come from any thread; the ping timer calls {@link #pingTick} on its own thread.
 *
 * <p>Liveness: any frame from the client (a message fragment, a pong, a ping) proves it alive; a
 * socket silent for {@link ServerLimits#livenessTimeout()} while the server was reading from it is
 * {@linkplain #terminate dropped} without a close handshake a busy client may never finish, so the
 * client sees it end at once and reconnects.
 */
final class WebSocketConnection implements FrameConnection.Listener {
  private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);
  /** How long a terminated socket may take to close its side before the server closes the TCP connection. */
  static final Duration TERMINATE_GRACE = Duration.ofSeconds(5);
  /** Sync messages up to this size are remembered to drop exact repeats; sync messages without changes are far smaller. */
  private static final int REMEMBERED_SYNC_BYTES = 4096;

  private final ConnectionProtocol<?> protocol;
  private final ServerLimits limits;
  private final ServerMetrics metrics;
  private final ExecutorService workers;
  private final RateLimiter rate;
  private final UnfinishedBudget budget;
  private final LongSupplier nanoClock;
  private final ScheduledExecutorService timer;
  /** Outbound bytes handed to Jetty and not yet written; guarded by nothing (atomic). */
  private final AtomicLong pendingOut = new AtomicLong();
  private final long maxPendingOut;
  private final ReentrantLock inbound = new ReentrantLock();
  private final AtomicBoolean aborted = new AtomicBoolean();
  /** The last small sync message sent about each document (a document's sends are serialised by its handle). */
  private final ConcurrentHashMap<DocumentId, Bytes> lastSync = new ConcurrentHashMap<>();

  // The unfinished message, reserved in the budget: the reading thread adds to it, a close from
  // another thread may drop it (both holding the list's lock).
  private final List<byte[]> fragments = new ArrayList<>();
  private long partialSize;

  private volatile @Nullable FrameConnection session;
  private volatile @Nullable PeerId peer;
  /** True while the socket is not read: a message is being handled or rate-limited. */
  private volatile boolean busy;
  /** When the client last proved alive, or the server last resumed reading from it (nano clock). */
  private volatile long lastHeard;
  private volatile boolean closing;

  WebSocketConnection(ConnectionProtocol<?> protocol, ServerLimits limits, ServerMetrics metrics,
                      ExecutorService workers, ScheduledExecutorService timer, RateLimiter rate, UnfinishedBudget budget,
                      LongSupplier nanoClock) {
    this.protocol = protocol;
    this.limits = limits;
    this.metrics = metrics;
    this.workers = workers;
    this.rate = rate;
    this.budget = budget;
    this.nanoClock = nanoClock;
    this.timer = timer;
    this.maxPendingOut = Math.max(limits.maxMessageBytes(), limits.maxQueuedBytes());
    this.lastHeard = nanoClock.getAsLong();
  }

  @Nullable PeerId peer() {
    return peer;
  }

  void peer(PeerId peer) {
    this.peer = peer;
  }

  // --- the socket's callbacks (its reading thread) ---

  @Override
  public void onOpen(FrameConnection socket) {
    this.session = socket;
    heard();
    protocol.opened(this);
    socket.demand();
  }

  @Override
  public void onData(ByteBuffer piece, boolean text, boolean last) {
    heard();
    if (aborted.get()) {
      return; // a terminated socket is drained by the frame layer
    }
    if (text) {
      refuse(CloseStatus.BAD_DATA, "text frames are not part of the protocol: send binary CBOR", "text-frame");
      return;
    }
    byte[] message;
    long held;
    long refusedAt = -1; // the unfinished size that did not fit: over the limit, or over the budget
    synchronized (fragments) {
      int n = piece.remaining();
      if (partialSize + n > limits.maxMessageBytes() || !budget.reserve(n, partialSize)) {
        refusedAt = partialSize + n;
        dropUnfinished();
        message = null;
        held = 0;
      } else {
        byte[] chunk = new byte[n];
        piece.get(chunk);
        fragments.add(chunk);
        partialSize += n;
        if (!last) {
          return;
        }
        message = assemble();
        held = partialSize;
        fragments.clear();
        partialSize = 0;
      }
    }
    if (message == null) {
      if (refusedAt > limits.maxMessageBytes()) {
        refuse(CloseStatus.MESSAGE_TOO_LARGE, "message too large: over the limit of " + limits.maxMessageBytes() + " bytes",
            "too-large");
      } else {
        log.warn("terminating connection {}: its unfinished message ({} bytes) does not fit in the server's budget of {}",
            describe(), refusedAt, limits.maxUnfinishedBytes());
        terminate("unfinished-budget");
      }
      return;
    }
    busy = true;
    try {
      workers.execute(() -> handle(message, held));
    } catch (RejectedExecutionException e) {
      budget.release(held); // the server is stopping
    }
  }

  @Override
  public void onControl() {
    heard();
  }

  @Override
  public void onClose(int status, String reason, @Nullable Throwable failure) {
    if (failure != null) {
      log.debug("connection {} failed", describe(), failure);
    }
    closing = true;
    dropUnfinished();
    try {
      workers.execute(() -> {
        inbound.lock();
        try {
          protocol.closed(this);
        } finally {
          inbound.unlock();
        }
      });
    } catch (RejectedExecutionException stopping) {
      // the server is stopping
    }
  }

  private void heard() {
    lastHeard = nanoClock.getAsLong();
  }

  private byte[] assemble() {
    if (fragments.size() == 1) {
      return fragments.getFirst();
    }
    byte[] out = new byte[(int) partialSize];
    int at = 0;
    for (byte[] f : fragments) {
      System.arraycopy(f, 0, out, at, f.length);
      at += f.length;
    }
    return out;
  }

  /** Forgets the unfinished message and gives its bytes back to the budget. */
  private void dropUnfinished() {
    synchronized (fragments) {
      fragments.clear();
      budget.release(partialSize);
      partialSize = 0;
    }
  }

  // --- inbound messages (a virtual thread, holding inbound) ---

  /** Handles one whole message, then gives its {@code held} bytes back to the budget. */
  private void handle(byte[] frame, long held) {
    long delay;
    inbound.lock();
    try {
      if (closing) {
        resume();
        return;
      }
      if (!dispatch(protocol, frame)) {
        return;
      }
      delay = rate.delayNanos(frame.length);
    } catch (RuntimeException e) {
      log.warn("closing connection {}: handling a message failed", describe(), e);
      refuse(CloseStatus.SERVER_ERROR, "internal error", "internal-error");
      return;
    } finally {
      inbound.unlock();
      budget.release(held);
    }
    if (delay > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    resume();
  }

  /** Decodes and handles {@code frame}; false (the connection refused) if it does not decode. */
  private <M> boolean dispatch(ConnectionProtocol<M> p, byte[] frame) {
    M message;
    try {
      message = p.decode(frame);
    } catch (RuntimeException e) {
      log.info("closing connection {}: undecodable message ({}{})", describe(), e.getMessage(),
          e.getCause() == null ? "" : ": " + e.getCause().getMessage());
      refuse(CloseStatus.BAD_PAYLOAD, "could not decode message: " + p.decodeFailure(e), "undecodable");
      return false;
    }
    metrics.received(p.type(message), frame.length);
    p.received(this, message);
    return true;
  }

  /** Reads on: the next frame of an open socket, or what a terminated one still sends (drained). */
  private void resume() {
    heard(); // silence while we did not read proves nothing
    busy = false;
    FrameConnection s = session;
    if (s != null && s.isOpen() && !closing) {
      s.demand();
    }
  }

  // --- outbound (any thread) ---

  /**
   * Queues {@code message} for this client, in call order. Drops it if the socket is closing, or
   * if it is a {@code sync} message equal to the last one sent about the same document on this
   * socket (see {@link #repeatsLastSync}).
   */
  void send(RepoMessage message) {
    if (message instanceof RepoMessage.Sync sync && repeatsLastSync(sync)) {
      metrics.suppressed(message.type());
      return;
    }
    sendFrame(message.encode(), message.type());
  }

  /** Queues the frame of a message of {@code type} for this client, in call order; drops it if the socket is closing. */
  void sendFrame(byte[] bytes, String type) {
    FrameConnection s = session;
    if (s == null || !s.isOpen() || aborted.get()) {
      return;
    }
    long pending = pendingOut.addAndGet(bytes.length);
    if (pending > maxPendingOut) {
      pendingOut.addAndGet(-bytes.length);
      log.warn("closing connection {}: it reads too slowly ({} bytes waiting)", describe(), pending);
      terminate("slow-consumer");
      return;
    }
    s.sendBinary(bytes, () -> pendingOut.addAndGet(-bytes.length));
    metrics.sent(type, bytes.length);
  }

  /**
   * True if {@code sync} carries exactly the bytes of the last sync message sent to this client
   * about its document, and remembers it otherwise. Over one socket (ordered, lossless) such a
   * message tells the client nothing it was not told already: it only answers the client's own
   * answer. Under concurrent typing, where both sides' heads differ most of the time, the sync
   * protocol answers every message that leaves heads apart, so server and client would trade
   * such empty messages as fast as they can for as long as the typing lasts; dropping the repeat
   * ends each round (the client speaks again as soon as its heads change). Remembers only small
   * messages; a new socket starts afresh.
   */
  private boolean repeatsLastSync(RepoMessage.Sync sync) {
    Bytes data = sync.data();
    if (data.size() > REMEMBERED_SYNC_BYTES) {
      lastSync.remove(sync.documentId());
      return false;
    }
    return data.equals(lastSync.put(sync.documentId(), data));
  }

  /** Sends an {@code error} message, then closes with {@code status}. */
  void refuse(int status, String message, String reason) {
    if (closing) {
      return;
    }
    sendFrame(protocol.errorFrame(this, message), "error");
    closing = true;
    metrics.connectionClosed(reason);
    FrameConnection s = session;
    if (s != null) {
      s.close(status, message);
      disconnectAfterGrace(s);
    }
  }

  /** Closes normally (replaced by a newer socket, or the server is stopping). */
  void close(int status, String reason, String metricReason) {
    if (closing) {
      return;
    }
    closing = true;
    metrics.connectionClosed(metricReason);
    FrameConnection s = session;
    if (s != null) {
      s.close(status, reason);
      disconnectAfterGrace(s);
    }
  }

  /** A client that does not finish the close handshake in time (it stopped reading) is disconnected. */
  private void disconnectAfterGrace(FrameConnection s) {
    try {
      timer.schedule(s::disconnect, TERMINATE_GRACE.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException stopping) {
      // the server is stopping: Jetty closes what is left
    }
  }

  /**
   * Drops the connection at once, without a close handshake: what is queued for the client is
   * discarded and the TCP output is shut down (a FIN right after the bytes already in flight),
   * so the client sees the connection end as soon as it has read those, whatever else it has to
   * do; the server drains and ignores what the client still sends, and closes the TCP connection
   * when the client closes its side or after {@link #TERMINATE_GRACE} at the latest.
   *
   * <p>Not a reset (linger zero): a stock automerge-repo client whose socket is reset while it has
   * unread messages buffered (it is paused under load) handles those messages with the socket
   * already {@code CLOSING}; its answers then throw ("Websocket not ready (2)") in the middle of
   * applying a sync message, which leaves its document outdated for good.
   */
  void terminate(String reason) {
    closing = true;
    if (!aborted.compareAndSet(false, true)) {
      return;
    }
    metrics.connectionClosed(reason);
    FrameConnection s = session;
    if (s == null) {
      return;
    }
    s.shutdownOutput();
    disconnectAfterGrace(s);
  }

  /**
   * Called by the ping timer: drops a socket silent for longer than the liveness timeout, else
   * pings it (the pong, like any frame, proves it alive). A socket the server is not reading from
   * is left alone: its silence proves nothing.
   */
  void pingTick() {
    FrameConnection s = session;
    if (s == null || !s.isOpen() || closing || busy) {
      return;
    }
    long silentNanos = nanoClock.getAsLong() - lastHeard;
    if (silentNanos > limits.livenessTimeout().toNanos()) {
      log.info("terminating connection {}: silent for {} ms", describe(), TimeUnit.NANOSECONDS.toMillis(silentNanos));
      terminate("ping-timeout");
      return;
    }
    s.sendPing();
  }

  boolean isOpen() {
    FrameConnection s = session;
    return s != null && s.isOpen();
  }

  String describe() {
    FrameConnection s = session;
    PeerId p = peer;
    return (p == null ? "(no join yet)" : p.value()) + "@" + (s == null ? "?" : s.remoteAddress());
  }
}
