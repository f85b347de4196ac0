package dev.loam.repo.net;

import dev.loam.LoamException;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.internal.VirtualThreads;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.spi.NetworkAdapter;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of automerge-repo's WebSocket protocol (version "1"), on
 * {@code java.net.http.WebSocket}: connects to a sync server such as automerge-repo's
 * {@code WebSocketServerAdapter} or {@code loam serve}, and reconnects when the connection drops.
 *
 * <pre>
 *   client                               server
 *     | -- open ------------------------> |
 *     | -- join {senderId, peerMetadata,  |
 *     |          supportedProtocolVersions:["1"]}
 *     | &lt;-- peer {senderId, peerMetadata, selectedProtocolVersion:"1", targetId}
 *     |      (peerCandidate reported)     |
 *     | &lt;== repo messages, binary frames ==&gt; |
 *     | -- close / error ---------------> |  (peerDisconnected; reconnect after backoff)
 * </pre>
 *
 * <p>Every message is one binary WebSocket message holding one CBOR map; fragments are reassembled
 * up to {@link Builder#maxMessageBytes}. A message that does not decode, an {@code error} message,
 * a text frame or a {@code peer} with another protocol version closes the connection (and a
 * reconnect follows). Reconnect delays grow exponentially from {@link Builder#initialBackoff} to
 * {@link Builder#maxBackoff}, each drawn with jitter between half and all of the nominal delay;
 * a completed handshake resets them, unless the server ends that connection with an error (as
 * for a message over its size limit, sent again on every connection), which counts as a failure.
 *
 * <p>Liveness: a server can vanish without a close handshake, and the JDK's WebSocket does not
 * always report the end of such a stream, so the client checks for itself. Every
 * {@link Builder#pingInterval} it pings the open socket; any frame from the server (a message
 * fragment, a pong, a ping) proves it alive. A socket from which nothing has come for
 * {@link Builder#livenessTimeout}, or whose ping or message write fails, is aborted (no close
 * handshake), reported exactly like a closed one (peerDisconnected) and reconnected with the
 * backoff above. While the listener handles a message the socket is not read, so that time does
 * not count as silence.
 *
 * <p>Thread-safe. The HTTP client's listener runs on virtual threads and calls the repo's
 * {@link NetworkAdapter.Listener} one event at a time, in order; sends are queued and written one
 * after another. One timer thread (from {@link VirtualThreads}) schedules reconnects and each
 * socket's ping ticks; a tick only hands the liveness check and ping to the HTTP client's
 * executor, where a lost socket is also reported, so no listener call runs on the timer thread.
 * The ticks of a socket stop when it ends.
 */
public final class WebSocketClientAdapter implements NetworkAdapter {
  private static final Logger log = LoggerFactory.getLogger(WebSocketClientAdapter.class);
  private final ServerList servers;
  private volatile URI uri; // the server being used or tried: servers.current()
  private final int maxMessageBytes;
  private final Duration connectTimeout;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration pingInterval;
  private final Duration livenessTimeout;
  private final RandomGenerator random;
  private final HttpClient http;
  private final ScheduledExecutorService timer;
  private final ExecutorService httpExecutor;
  private final CompletableFuture<PeerId> firstHandshake = new CompletableFuture<>();

  private final ReentrantLock lock = new ReentrantLock();
  // guarded by lock:
  private @Nullable PeerId self;
  private @Nullable PeerMetadata metadata;
  private @Nullable Listener listener;
  private @Nullable Connection current;
  private @Nullable ScheduledFuture<?> retry;
  private volatile int attempts; // written under lock
  private int refusals; // guarded by lock: connections in a row that the server ended with an error
  private boolean closed;

  private WebSocketClientAdapter(Builder b) {
    this.servers = new ServerList(b.uris);
    this.uri = servers.current();
    this.maxMessageBytes = b.maxMessageBytes;
    this.connectTimeout = b.connectTimeout;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.pingInterval = b.pingInterval;
    this.livenessTimeout = b.livenessTimeout();
    this.random = b.random;
    this.httpExecutor = VirtualThreads.perTask("loam-ws-client");
    this.http = HttpClient.newBuilder().executor(httpExecutor).connectTimeout(connectTimeout).build();
    this.timer = VirtualThreads.timer("loam-ws-client-timer");
  }

  /**
   * A client for the server at {@code uri} ({@code ws://…} or {@code wss://…}).
   *
   * @throws IllegalArgumentException if {@code uri} is not a {@code ws} or {@code wss} URL
   */
  public static Builder builder(URI uri) {
    return new Builder(uri);
  }

  /**
   * A client for {@code uri} with the default limits.
   *
   * @throws IllegalArgumentException if {@code uri} is not a {@code ws} or {@code wss} URL
   */
  public static WebSocketClientAdapter of(String uri) {
    return builder(URI.create(uri)).build();
  }

  /** The server's peer id while connected and past the handshake. */
  public java.util.Optional<PeerId> serverPeer() {
    lock.lock();
    try {
      return java.util.Optional.ofNullable(current == null ? null : current.remote);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Completes with the server's peer id when the first handshake completes, or exceptionally with
   * a {@link ConnectionFailedException} as soon as an attempt before it fails for a reason a
   * timeout would not mend (connection refused, unknown host, an HTTP answer that is not a
   * WebSocket handshake, an {@code error} in answer to the join), or when the adapter closes
   * first. An attempt that times out (a server that accepts and does not answer) does not
   * complete it: the adapter keeps retrying, as it also does after a failure reported here.
   * Never blocks; each call returns a new future, so cancelling one changes nothing else.
   */
  public CompletableFuture<PeerId> firstHandshake() {
    return firstHandshake.copy();
  }

  @Override
  public void connect(PeerId self, PeerMetadata metadata, Listener listener) {
    lock.lock();
    try {
      if (this.listener != null) {
        throw new IllegalStateException("already connected");
      }
      this.self = self;
      this.metadata = metadata;
      this.listener = listener;
    } finally {
      lock.unlock();
    }
    open();
  }

  @Override
  public void send(RepoMessage message) {
    Connection c;
    lock.lock();
    try {
      c = current;
    } finally {
      lock.unlock();
    }
    if (c == null || c.remote == null || !message.target().equals(Optional.of(c.remote))) {
      log.debug("dropping {} for {}: not connected to it", message.type(), message.target());
      return;
    }
    c.write(message.encode());
  }

  @Override
  public void close() {
    Connection c;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (retry != null) {
        retry.cancel(false);
      }
      c = current;
      current = null;
    } finally {
      lock.unlock();
    }
    if (c != null) {
      c.shutdown("client closed", true);
    }
    firstHandshake.completeExceptionally(new ConnectionFailedException("closed before connecting to " + uri));
    timer.shutdownNow();
    httpExecutor.shutdown();
  }

  @Override
  public String toString() {
    return "WebSocketClientAdapter(" + uri + ")";
  }

  private void open() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
    } finally {
      lock.unlock();
    }
    Connection c = new Connection();
    URI target = uri;
    http.newWebSocketBuilder().connectTimeout(connectTimeout).buildAsync(target, c)
        .whenComplete((ws, err) -> {
          if (err != null) {
            Throwable cause = unwrap(err);
            log.debug("could not connect to {}: {}", target, cause.toString());
            if (!(cause instanceof HttpTimeoutException) && attempts >= servers.size() - 1) { // every server failed
              firstHandshake.completeExceptionally(ConnectionFailedException.unreachable(target, cause));
            }
            scheduleReconnect();
          }
        });
  }

  private void scheduleReconnect() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      long nominal = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(attempts, 20));
      long delay = nominal / 2 + (long) (random.nextDouble() * (nominal - nominal / 2));
      attempts++;
      uri = servers.next(); // fail over: each reconnect tries the next server
      log.debug("reconnecting to {} in {} ms (attempt {})", uri, delay, attempts);
      retry = timer.schedule(this::open, delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closing
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code task} on the HTTP client's executor, unless the adapter is closing. */
  private void onHttpThread(Runnable task) {
    try {
      httpExecutor.execute(task);
    } catch (RejectedExecutionException closing) {
      // the adapter closed: its sockets are going
    }
  }

  private static Throwable unwrap(Throwable err) {
    return err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
  }

  /**
   * One socket: its handshake, reassembly, write queue and liveness. Runs on the HTTP client's
   * threads; its ping ticks come from the timer and run there too.
   */
  private final class Connection implements WebSocket.Listener {
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Liveness liveness = new Liveness(livenessTimeout, System::nanoTime);
    private CompletableFuture<?> writes = CompletableFuture.completedFuture(null);
    private volatile @Nullable WebSocket ws;
    private volatile @Nullable PeerId remote;
    private boolean ended; // guarded by the adapter's lock
    private volatile boolean refused; // the server ended it with an error: the backoff keeps growing
    private @Nullable ScheduledFuture<?> pinger; // guarded by the adapter's lock

    @Override
    public void onOpen(WebSocket webSocket) {
      ws = webSocket;
      liveness.heard();
      PeerId me;
      PeerMetadata md;
      lock.lock();
      try {
        if (closed) {
          webSocket.abort();
          return;
        }
        current = this;
        me = self;
        md = metadata;
        long every = pingInterval.toNanos();
        pinger = timer.scheduleAtFixedRate(() -> onHttpThread(this::pingTick), every, every, TimeUnit.NANOSECONDS);
      } finally {
        lock.unlock();
      }
      write(new RepoMessage.Join(me, md, List.of(RepoMessage.PROTOCOL_VERSION)).encode());
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
      liveness.heard(); // the HTTP client answers with a pong by itself
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
      liveness.heard();
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      liveness.heard();
      if (partial.size() + data.remaining() > maxMessageBytes) {
        shutdown("message larger than " + maxMessageBytes + " bytes", false);
        return null;
      }
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      partial.writeBytes(chunk);
      if (last) {
        byte[] frame = partial.toByteArray();
        partial.reset();
        liveness.handling();
        try {
          if (!receive(frame)) {
            return null;
          }
        } finally {
          liveness.handled();
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      shutdown("text frames are not part of the protocol", false);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      log.debug("{} closed the connection: {} {}", uri, statusCode, reason);
      ended(true);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      log.debug("connection to {} failed: {}", uri, error.toString());
      ended(true);
    }

    /** Handles one whole message; false when the connection was shut because of it. */
    private boolean receive(byte[] frame) {
      RepoMessage m;
      try {
        m = RepoMessage.decode(frame);
      } catch (LoamException | IllegalArgumentException e) {
        shutdown("undecodable message: " + e.getMessage(), false);
        return false;
      }
      Listener l = listener;
      switch (m) {
        case RepoMessage.Peer p -> {
          if (!RepoMessage.PROTOCOL_VERSION.equals(p.selectedProtocolVersion())) {
            shutdown("server selected protocol version " + p.selectedProtocolVersion(), false);
            return false;
          }
          if (remote != null) {
            return true; // a repeated peer message changes nothing
          }
          lock.lock();
          try {
            if (attempts > 0) {
              log.info("connected to {} after {} failed attempts", uri, attempts);
            }
            attempts = 0;
          } finally {
            lock.unlock();
          }
          remote = p.senderId();
          firstHandshake.complete(p.senderId());
          l.peerCandidate(p.senderId(), p.peerMetadata().orElse(PeerMetadata.NONE));
        }
        case RepoMessage.Error e -> {
          log.warn("{} reported an error: {}", uri, e.message());
          refused = true;
          if (remote == null) {
            firstHandshake.completeExceptionally(
                new ConnectionFailedException("the sync server at " + uri + " refused the join: " + e.message()));
          }
          shutdown("server error: " + e.message(), false);
          return false;
        }
        case RepoMessage.Leave leave -> {
          shutdown("server left", false);
          return false;
        }
        case RepoMessage.Join j -> log.debug("ignoring a join from the server");
        case RepoMessage.DocMessage d -> deliver(l, d);
        case RepoMessage.RemoteSubscriptionChange r -> deliver(l, r);
        case RepoMessage.Unknown u -> deliver(l, u);
      }
      return true;
    }

    private void deliver(Listener l, RepoMessage m) {
      if (remote != null) {
        l.message(m);
      } else {
        log.debug("ignoring {} before the handshake", m.type());
      }
    }

    void write(byte[] frame) {
      WebSocket socket = ws;
      if (socket == null) {
        return;
      }
      writeLock.lock();
      try {
        writes = writes.thenCompose(x -> socket.sendBinary(ByteBuffer.wrap(frame), true))
            .exceptionally(err -> {
              lost("a write failed: " + unwrap(err));
              return null;
            });
      } finally {
        writeLock.unlock();
      }
    }

    /**
     * Called every ping interval on an HTTP client thread: drops a socket silent for the liveness
     * timeout, else pings it. A ping still being written is not repeated (the silence check judges
     * a stuck socket); one refused because a pong the HTTP client sends by itself is pending is
     * skipped; any other failure drops the socket.
     */
    private void pingTick() {
      WebSocket socket = ws;
      if (socket == null) {
        return;
      }
      OptionalLong silent = liveness.overdueMillis();
      if (silent.isPresent()) {
        lost("nothing heard for " + silent.getAsLong() + " ms");
        return;
      }
      if (!liveness.startPing()) {
        return;
      }
      socket.sendPing(ByteBuffer.allocate(0)).whenComplete((x, err) -> {
        liveness.pingEnded();
        if (err != null && !(unwrap(err) instanceof IllegalStateException)) {
          lost("a ping failed: " + unwrap(err));
        }
      });
    }

    /** Aborts this socket, unless it already ended, and reports it ended; a reconnect follows. */
    private void lost(String why) {
      lock.lock();
      try {
        if (ended) {
          return;
        }
      } finally {
        lock.unlock();
      }
      log.debug("dropping the connection to {}: {}", uri, why);
      WebSocket socket = ws;
      if (socket != null) {
        socket.abort();
      }
      ended(true);
    }

    /** Closes this socket; {@code byUser} means no reconnect follows. */
    void shutdown(String why, boolean byUser) {
      log.debug("closing the connection to {}: {}", uri, why);
      WebSocket socket = ws;
      if (socket != null) {
        writeLock.lock();
        try {
          writes = writes.thenCompose(x -> socket.sendClose(WebSocket.NORMAL_CLOSURE, ""))
              .orTimeout(2, TimeUnit.SECONDS)
              .whenComplete((x, err) -> socket.abort());
        } finally {
          writeLock.unlock();
        }
      }
      ended(!byUser);
    }

    private void ended(boolean reconnect) {
      PeerId was;
      Listener l;
      lock.lock();
      try {
        if (ended) {
          return;
        }
        ended = true;
        refusals = refused ? refusals + 1 : 0;
        attempts = Math.max(attempts, refusals); // a server that refuses each time is not hammered
        if (pinger != null) {
          pinger.cancel(false);
        }
        if (current == this) {
          current = null;
        }
        was = remote;
        l = listener;
        reconnect = reconnect && !closed;
      } finally {
        lock.unlock();
      }
      remote = null;
      if (was != null && l != null) {
        l.peerDisconnected(was);
      }
      if (reconnect) {
        scheduleReconnect();
      }
    }
  }

  /** Configures a {@link WebSocketClientAdapter}. Not thread-safe. */
  public static final class Builder {
    private final List<URI> uris = new java.util.ArrayList<>();
    private int maxMessageBytes = 256 * 1024 * 1024;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private Duration pingInterval = Duration.ofSeconds(10);
    private @Nullable Duration livenessTimeout;
    private RandomGenerator random = new SplittableRandom();

    private Builder(URI uri) {
      uris.add(ServerList.checked(uri));
    }

    /**
     * Further servers of the same cluster (nodes over one database) to fail over to: the client
     * connects to the first URL, and each reconnect tries the next one in turn, so when a node
     * dies its clients move to another. The first handshake fails only once every URL has failed.
     *
     * @throws IllegalArgumentException if one is not a {@code ws} or {@code wss} URL
     */
    public Builder failover(java.util.Collection<URI> others) {
      others.forEach(u -> uris.add(ServerList.checked(u)));
      return this;
    }

    /** The largest message accepted (after reassembly); default 256 MiB. */
    public Builder maxMessageBytes(int max) {
      if (max <= 0) {
        throw new IllegalArgumentException("max must be positive");
      }
      this.maxMessageBytes = max;
      return this;
    }

    /** How long one connection attempt may take before it counts as failed. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /** The first reconnect delay (default 500 ms); it doubles per failed attempt. */
    public Builder initialBackoff(Duration backoff) {
      this.initialBackoff = Objects.requireNonNull(backoff);
      return this;
    }

    /** The longest reconnect delay (default 30 s). */
    public Builder maxBackoff(Duration backoff) {
      this.maxBackoff = Objects.requireNonNull(backoff);
      return this;
    }

    /**
     * How often the client pings an open socket to learn whether the server is still there
     * (default 10 s; {@link #build} requires it positive). The pings go on while messages flow.
     */
    public Builder pingInterval(Duration interval) {
      this.pingInterval = Objects.requireNonNull(interval);
      return this;
    }

    /**
     * How long a socket may stay silent (no message, pong or ping from the server) before the
     * client aborts it and reconnects; default three ping intervals. {@link #build} requires at
     * least two ping intervals.
     */
    public Builder livenessTimeout(Duration timeout) {
      this.livenessTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    private Duration livenessTimeout() {
      return livenessTimeout != null ? livenessTimeout : pingInterval.multipliedBy(3);
    }

    /** The source of jitter (default unseeded); pass a seeded one for repeatable tests. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random);
      return this;
    }

    /**
     * The client, not yet connected.
     *
     * @throws IllegalArgumentException if the ping interval is not positive or the liveness
     *     timeout is shorter than two ping intervals
     */
    public WebSocketClientAdapter build() {
      Liveness.validate(pingInterval, livenessTimeout());
      return new WebSocketClientAdapter(this);
    }
  }
}
