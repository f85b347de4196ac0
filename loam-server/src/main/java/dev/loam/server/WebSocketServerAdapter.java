package dev.loam.server;

import dev.loam.repo.id.PeerId;
import dev.loam.repo.internal.VirtualThreads;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.ProtocolException;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.secure.net.SecureMessage;
import dev.loam.repo.spi.NetworkAdapter;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The server side of automerge-repo's WebSocket protocol (version "1") on Jetty 12's HTTP server, as a
 * {@link NetworkAdapter}: clients send {@code join}, the adapter answers {@code peer} and from then
 * on reports the client as a peer to the repo.
 *
 * <p>Protocol, as automerge-repo's {@code WebSocketServerAdapter} does it:
 * <ul>
 *   <li>a {@code join} without {@code supportedProtocolVersions} means version "1"; one that lists
 *       versions but not "1" gets an {@code error} and the socket is closed;
 *   <li>a second {@code join} with the same {@code senderId} replaces the previous socket, which is
 *       closed (the repo sees the peer disconnect and come back);
 *   <li>messages on a socket that is not the current one for their sender, or before its join,
 *       are dropped;
 *   <li>an undecodable message, a text frame, or a message over
 *       {@link ServerLimits#maxMessageBytes()} gets an {@code error} and closes that socket only;
 *   <li>every {@link ServerLimits#pingInterval()} the adapter pings each socket; one from which
 *       no frame at all (message, pong or ping) has come for {@link ServerLimits#livenessTimeout()}
 *       is dropped without a close handshake (unlike automerge-repo, which drops a socket that
 *       misses one pong, so a client too busy to answer within one interval is not dropped);
 *   <li>the bytes of unfinished messages across all sockets stay within
 *       {@link ServerLimits#maxUnfinishedBytes()} ({@code loam.messages.unfinished.bytes});
 *   <li>each socket is read no faster than {@link ServerLimits#messagesPerSecond()} and
 *       {@link ServerLimits#bytesPerSecond()}.
 * </ul>
 *
 * <p>Install it in a Jetty server with {@link #handler}. Thread-safe; listener callbacks come on
 * virtual threads, one at a time per connection (see {@link WebSocketConnection}).
 */
public final class WebSocketServerAdapter implements NetworkAdapter {
  private static final Logger log = LoggerFactory.getLogger(WebSocketServerAdapter.class);

  private final ServerLimits limits;
  private final ServerMetrics metrics;
  private final LongSupplier nanoClock;
  private final ExecutorService workers = VirtualThreads.perTask("loam-ws");
  private final ScheduledExecutorService timer = VirtualThreads.timer("loam-ws-ping");
  private final UnfinishedBudget unfinished;
  private final ConcurrentHashMap<PeerId, WebSocketConnection> peers = new ConcurrentHashMap<>();
  private final Set<WebSocketConnection> open = ConcurrentHashMap.newKeySet();
  private volatile @Nullable PeerId self;
  private volatile @Nullable PeerMetadata selfMetadata;
  private volatile @Nullable Listener listener;
  private volatile boolean closed;
  private final PlainProtocol plain = new PlainProtocol();
  private volatile @Nullable SecureHost secure;

  private WebSocketServerAdapter(Builder b) {
    this.limits = b.limits;
    this.metrics = b.metrics;
    this.nanoClock = b.nanoClock;
    this.unfinished = new UnfinishedBudget(limits.maxUnfinishedBytes());
  }

  /** A builder with the default limits and in-memory meters. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Serves secure documents too: WebSocket requests on {@link SecureMessage#PATH} speak the secure
   * protocol with {@code host}, and a plain {@code request} or {@code sync} for a document
   * {@code host} holds is answered {@code doc-unavailable} (nothing of it reaches the repo). Call
   * before {@link #handler}.
   */
  void secure(SecureHost host) {
    this.secure = host;
  }

  /**
   * A Jetty handler that upgrades WebSocket requests on any path to this adapter and passes every
   * other request to {@code next} (none: 404). With a {@linkplain #secure secure host}, the path
   * {@link SecureMessage#PATH} speaks the secure protocol instead.
   */
  public Handler handler(@Nullable Handler next) {
    SecureHost host = secure;
    // No permessage-deflate, as automerge-repo's server: a stock Node client inflates messages
    // asynchronously, so when its socket ends it still handles some with the socket CLOSING, and
    // its answers then throw in the middle of applying a sync message (its document is left
    // outdated for good).
    return new WebSocketUpgrade(next, request -> newConnection(
        host != null && SecureMessage.PATH.equals(Request.getPathInContext(request)) ? host.newSession(this) : plain));
  }

  private WebSocketConnection newConnection(ConnectionProtocol<?> protocol) {
    return new WebSocketConnection(protocol, limits, metrics, workers, timer,
        new RateLimiter(limits.messagesPerSecond(), limits.bytesPerSecond(), nanoClock), unfinished, nanoClock);
  }

  @Override
  public void connect(PeerId self, PeerMetadata metadata, Listener listener) {
    if (this.listener != null) {
      throw new IllegalStateException("connect is called once");
    }
    this.self = self;
    this.selfMetadata = metadata;
    this.listener = listener;
    metrics.gauge("loam.connections", "Open WebSocket connections", open::size);
    metrics.gauge("loam.peers", "Peers that have joined", peers::size);
    metrics.gauge("loam.messages.unfinished.bytes", "Bytes held for messages not yet whole or not yet handled",
        unfinished::reserved);
    long ping = limits.pingInterval().toNanos();
    timer.scheduleAtFixedRate(this::pingAll, ping, ping, TimeUnit.NANOSECONDS);
  }

  @Override
  public void send(RepoMessage message) {
    WebSocketConnection c = message.target().map(peers::get).orElse(null);
    if (c == null) {
      log.debug("dropping {} for {}: not connected", message.type(), message.target());
      return;
    }
    c.send(message);
  }

  /** Open sockets, joined or not. */
  public int connectionCount() {
    return open.size();
  }

  /** Peers that have joined and not left. */
  public int peerCount() {
    return peers.size();
  }

  /** Bytes held now for inbound messages not yet whole or not yet handled, across all sockets. */
  public long unfinishedBytes() {
    return unfinished.reserved();
  }

  /**
   * Drops every open socket at once without a close handshake (see
   * {@link WebSocketConnection#terminate}), as a network failure would; the peers are disconnected
   * and clients reconnect. For operators and tests.
   */
  public void dropConnections() {
    for (WebSocketConnection c : List.copyOf(open)) {
      c.terminate("dropped");
    }
  }

  /** Closes every socket (status 1001, going away) and stops the ping timer. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    timer.shutdownNow();
    for (WebSocketConnection c : List.copyOf(open)) {
      c.close(CloseStatus.SHUTDOWN, "server shutting down", "shutdown");
    }
    workers.shutdown();
    try {
      if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // --- called by connections ---

  PeerId self() {
    PeerId s = self;
    return s == null ? PeerId.of("loam-server") : s;
  }

  void opened(WebSocketConnection c) {
    if (closed) {
      c.close(CloseStatus.SHUTDOWN, "server shutting down", "shutdown");
      return;
    }
    open.add(c);
  }

  /** On {@code c}'s worker, holding its inbound lock. */
  void received(WebSocketConnection c, RepoMessage message) {
    Listener l = listener;
    if (l == null) {
      c.refuse(CloseStatus.TRY_AGAIN_LATER, "server not ready", "not-ready");
      return;
    }
    switch (message) {
      case RepoMessage.Join join -> join(c, join, l);
      case RepoMessage.Leave leave -> {
        if (isCurrent(c, leave.senderId())) {
          c.close(CloseStatus.NORMAL, "leave", "leave");
        }
      }
      case RepoMessage.Peer p -> {
        if (fromCurrent(c, p)) {
          log.debug("ignoring peer message from a client");
        }
      }
      case RepoMessage.Error e -> {
        if (fromCurrent(c, e)) {
          log.info("client {} reported an error: {}", c.describe(), e.message());
        }
      }
      case RepoMessage.DocMessage m -> {
        if (!refusedAsSecure(c, m)) {
          relay(c, m, l);
        }
      }
      case RepoMessage.RemoteSubscriptionChange m -> relay(c, m, l);
      case RepoMessage.Unknown m -> relay(c, m, l);
    }
  }

  /**
   * Whether {@code m} is about a secure document, which the plain protocol never serves: a
   * {@code request} or {@code sync} is answered {@code doc-unavailable}, as for a document the
   * server does not have (so a secure id is neither squatted nor revealed), and nothing is stored.
   */
  private boolean refusedAsSecure(WebSocketConnection c, RepoMessage.DocMessage m) {
    SecureHost host = secure;
    if (host == null || !host.holds(m.documentId())) {
      return false;
    }
    if (fromCurrent(c, m) && (m instanceof RepoMessage.Request || m instanceof RepoMessage.Sync)) {
      c.send(new RepoMessage.DocUnavailable(self(), m.senderId(), m.documentId()));
    }
    return true;
  }

  /** Hands {@code message} to the repo if it came on its sender's current socket. */
  private void relay(WebSocketConnection c, RepoMessage message, Listener l) {
    if (fromCurrent(c, message)) {
      l.message(message);
    }
  }

  /** Whether {@code c} is the current socket of {@code message}'s sender; logs the drop if not. */
  private boolean fromCurrent(WebSocketConnection c, RepoMessage message) {
    if (isCurrent(c, message.senderId())) {
      return true;
    }
    log.debug("dropping {} from {}: not the current socket for {}", message.type(), c.describe(), message.senderId());
    return false;
  }

  private void join(WebSocketConnection c, RepoMessage.Join join, Listener l) {
    List<String> versions = join.supportedProtocolVersions().orElse(List.of(RepoMessage.PROTOCOL_VERSION));
    PeerId peer = join.senderId();
    if (!versions.contains(RepoMessage.PROTOCOL_VERSION)) {
      log.info("refusing {}: it speaks protocol versions {}, not {}", c.describe(), versions, RepoMessage.PROTOCOL_VERSION);
      c.peer(peer);
      c.refuse(CloseStatus.POLICY_VIOLATION, "unsupported protocol version", "unsupported-version");
      return;
    }
    PeerId previous = c.peer();
    if (previous != null && !previous.equals(peer) && peers.remove(previous, c)) {
      l.peerDisconnected(previous); // the same socket rejoined under another name
    }
    c.peer(peer);
    WebSocketConnection old = peers.put(peer, c);
    if (old != null && old != c) {
      log.info("peer {} reconnected; closing its previous socket", peer);
      old.close(CloseStatus.NORMAL, "replaced by a newer connection", "replaced");
      l.peerDisconnected(peer);
    }
    c.send(new RepoMessage.Peer(self(), peer, selfMetadata, RepoMessage.PROTOCOL_VERSION));
    if (old != c) {
      log.info("peer {} joined from {}", peer, c.describe());
      l.peerCandidate(peer, join.peerMetadata().orElse(PeerMetadata.NONE));
    }
  }

  /** On {@code c}'s worker, holding its inbound lock. */
  void closed(WebSocketConnection c) {
    open.remove(c);
    PeerId peer = c.peer();
    Listener l = listener;
    if (peer != null && peers.remove(peer, c)) {
      log.info("peer {} disconnected", peer);
      if (l != null) {
        l.peerDisconnected(peer);
      }
    }
  }

  private boolean isCurrent(WebSocketConnection c, PeerId sender) {
    return sender.equals(c.peer()) && peers.get(sender) == c;
  }

  private void pingAll() {
    try {
      for (WebSocketConnection c : open) {
        c.pingTick();
      }
    } catch (RuntimeException e) {
      log.warn("ping round failed", e);
    }
  }

  /** automerge-repo's protocol on a connection. */
  private final class PlainProtocol implements ConnectionProtocol<RepoMessage> {
    @Override
    public void opened(WebSocketConnection c) {
      WebSocketServerAdapter.this.opened(c);
    }

    @Override
    public RepoMessage decode(byte[] frame) {
      return RepoMessage.decode(frame);
    }

    @Override
    public String decodeFailure(RuntimeException failure) {
      return failure instanceof ProtocolException ? failure.getMessage() : "malformed message";
    }

    @Override
    public String type(RepoMessage message) {
      return message.type();
    }

    @Override
    public void received(WebSocketConnection c, RepoMessage message) {
      WebSocketServerAdapter.this.received(c, message);
    }

    @Override
    public void closed(WebSocketConnection c) {
      WebSocketServerAdapter.this.closed(c);
    }

    @Override
    public byte[] errorFrame(WebSocketConnection c, String message) {
      return new RepoMessage.Error(self(), c.peer(), message).encode();
    }
  }

  /** Builds a {@link WebSocketServerAdapter}. */
  public static final class Builder {
    private ServerLimits limits = ServerLimits.DEFAULT;
    private ServerMetrics metrics = ServerMetrics.none();
    private LongSupplier nanoClock = System::nanoTime;

    private Builder() {}

    /** What each connection may send (default {@link ServerLimits#DEFAULT}). */
    public Builder limits(ServerLimits limits) {
      this.limits = limits;
      return this;
    }

    /** Where meters go (default {@link ServerMetrics#none()}). */
    public Builder metrics(ServerMetrics metrics) {
      this.metrics = metrics;
      return this;
    }

    /** The clock the rate limiter reads, in nanoseconds (tests pass a fake one). */
    public Builder nanoClock(LongSupplier nanoClock) {
      this.nanoClock = nanoClock;
      return this;
    }

    /** The adapter, ready to be given to a repo or a Jetty handler. */
    public WebSocketServerAdapter build() {
      return new WebSocketServerAdapter(this);
    }
  }
}
