package dev.loam.server;

import dev.loam.repo.id.PeerId;
import dev.loam.repo.id.StorageId;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.secure.SecureStore;
import dev.loam.sync.SyncLimits;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * A sync server: automerge-repo's WebSocket protocol on every path of one port, plus
 * {@code /health}, {@code /metrics} and the Loam Notes web app at {@code /}
 * ({@link Builder#serveApp}), keeping documents in one {@link StorageAdapter} through a
 * {@link dev.loam.repo.Repo}. Like automerge-repo's sync server it stores and relays every
 * document a client syncs and announces none (share policy false).
 *
 * <p>Secure documents use the same port and storage: the path
 * {@value dev.loam.secure.net.SecureMessage#PATH} speaks their protocol ({@code SecureSession},
 * {@code SecureHost}): devices authenticate by challenge-response, pull with signed requests
 * (members only) and push signed items the server checks by their authors, stores as opaque
 * envelopes ({@link dev.loam.secure.SecureStore}) and never decrypts. The audience signed requests
 * name is the server's {@linkplain #storageId() storage id}. A plain request for a secure document
 * gets {@code doc-unavailable}.
 *
 * <p>Out of the box it is reachable only from the machine it runs on: it binds {@code 127.0.0.1}
 * unless given another {@link Builder#host}, and refuses a WebSocket upgrade from a web page of
 * another origin unless that origin is {@linkplain Builder#allowedOrigins allowed}.
 *
 * <pre>{@code
 * try (LoamServer server = LoamServer.builder().port(3030).storage(SqliteStorageAdapter.open(file)).build()) {
 *   server.start();
 *   server.awaitStop();
 * }
 * }</pre>
 *
 * <p>{@link #close} shuts down gracefully: it closes every socket (status 1001), stores what is
 * pending, stops Jetty, then closes the storage and anything registered with
 * {@link Builder#closeOnStop}. Thread-safe.
 */
public final class LoamServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LoamServer.class);
  /** Secure documents whose membership log stays in memory by default (least recently used first out). */
  static final int MAX_SECURE_LOGS = 1024;
  /** Request nonces remembered against replay (over two minutes of requests). */
  static final int MAX_NONCES = 1_000_000;

  private final int requestedPort;
  private final String host;
  private final Set<String> allowedOrigins;
  private final StorageAdapter storage;
  private final ServerLimits limits;
  private final MeterRegistry registry;
  private final PeerId peerId;
  private final List<AutoCloseable> closeOnStop;
  private final ServerMetrics metrics;
  private final WebSocketServerAdapter adapter;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private @Nullable SyncHost host_;
  private volatile @Nullable PostgresCluster cluster;
  private @Nullable Server jetty;
  private final InstantSource clock;
  private final int secureLogs;
  private final boolean serveApp;
  private Instant startedAt;
  private volatile boolean stopping;

  private LoamServer(Builder b) {
    if (b.storage == null) {
      throw new IllegalStateException("LoamServer needs a storage adapter");
    }
    this.requestedPort = b.port;
    this.host = b.host;
    this.allowedOrigins = Set.copyOf(b.allowedOrigins);
    this.storage = b.storage;
    this.limits = b.limits;
    this.registry = b.registry != null ? b.registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.peerId = b.peerId != null ? b.peerId : defaultPeerId();
    this.closeOnStop = List.copyOf(b.closeOnStop);
    this.clock = b.clock;
    this.secureLogs = b.secureLogs;
    this.serveApp = b.serveApp;
    this.startedAt = clock.instant();
    this.metrics = new ServerMetrics(registry);
    this.adapter = WebSocketServerAdapter.builder().limits(limits).metrics(metrics).build();
  }

  /** A builder: port 3030 on 127.0.0.1 unless set; a storage adapter is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Binds the port and starts serving. Called once. */
  public synchronized LoamServer start() throws Exception {
    if (jetty != null) {
      throw new IllegalStateException("already started");
    }
    startedAt = clock.instant();
    warmUp();
    PostgresStorageAdapter shared = storage instanceof PostgresStorageAdapter pg && !pg.exclusive() ? pg : null;
    PostgresCluster node = null;
    if (shared != null) { // several servers over one database: a cluster
      node = new PostgresCluster(shared, java.util.UUID.randomUUID().toString(), clock, metrics);
      // every node announces the same storage id: the first to start stores it, the others read it
      shared.saveIfAbsent(dev.loam.repo.spi.StorageKey.of("storage-adapter-id"),
          dev.loam.Bytes.wrap(StorageId.random().value().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    SyncLimits syncLimits = SyncLimits.builder().maxMessageBytes(limits.maxMessageBytes())
        .maxDocumentBytes(limits.maxDocumentBytes()).build();
    RepoSyncHost sync = node == null ? new RepoSyncHost(storage, peerId, clock, adapter, metrics, syncLimits, limits)
        : new RepoSyncHost(storage, peerId, clock, adapter, metrics, syncLimits, limits, node::published);
    host_ = sync;
    SecureStore secureStore = shared == null ? SecureStore.on(storage) : SecureStore.shared(storage);
    ReplayGuard replays = new ReplayGuard(clock, MAX_NONCES, shared == null ? null : new SharedNonces(shared, clock));
    adapter.secure(new SecureHost(secureStore, sync.storageId().value(), metrics, secureLogs, replays));
    if (node != null) {
      node.start(new PostgresCluster.Target() {
        @Override
        public void changed(dev.loam.repo.id.DocumentId document, dev.loam.Heads heads) {
          sync.absorbStored(document, heads);
        }

        @Override
        public void catchUp() {
          sync.absorbAllStored();
        }
      });
      cluster = node;
    }
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    metrics.gauge("loam.documents", "Documents held in memory", sync::documentCount);
    metrics.gauge("loam.documents.missing", "Documents held in memory that peers asked for and nobody has yet",
        sync::missingDocumentCount);

    QueuedThreadPool pool = new QueuedThreadPool(httpThreads());
    pool.setName("loam-http");
    pool.setReservedThreads(0);
    Server server = new Server(pool);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(host);
    connector.setPort(requestedPort);
    server.addConnector(connector);
    PrometheusMeterRegistry prometheus = registry instanceof PrometheusMeterRegistry p ? p : null;
    Handler ops = new OpsHandler(this, prometheus);
    if (serveApp) {
      ops = new Handler.Sequence(ops, new AppHandler(LoamServer.class.getClassLoader()));
    }
    server.setHandler(new OriginCheck(allowedOrigins, isLoopback(host), adapter.handler(ops)));
    server.setStopTimeout(5_000);
    server.start();
    jetty = server;
    log.info("loam server {} listening on {}:{} (storage {}, limits {})", peerId, host, port(), sync.storageId(), limits);
    return this;
  }

  /**
   * Jetty's platform threads: the acceptor, the selectors (which also read WebSocket frames, see
   * {@link FrameConnection}) and a few to answer HTTP requests and upgrades. Nothing blocks on them
   * (a WebSocket message is handled on a virtual thread), so a few
   * per core suffice; Jetty's default of 200 had every one of them take turns under load, and
   * waking them cost the server a quarter of its CPU (1,200 clients on 2 cores: 16.2 s of CPU in
   * 20 s with 200 threads, 13.0 s with 8). No thread is kept in reserve for the selector to hand its
   * next task to, so a quiet socket's event is handled by the selector's own thread or the next free one.
   */
  private static int httpThreads() {
    return Math.max(8, 2 * Runtime.getRuntime().availableProcessors() + 4);
  }

  /**
   * Loads and runs the codec and sync classes once, so the first client's join is answered in
   * milliseconds: automerge-repo clients stop waiting for the server after one second.
   */
  private void warmUp() {
    byte[] join = (new dev.loam.repo.protocol.RepoMessage.Join(
        PeerId.of("warm-up"), PeerMetadata.EPHEMERAL, List.of(dev.loam.repo.protocol.RepoMessage.PROTOCOL_VERSION))).encode();
    RepoMessage.decode(join);
    dev.loam.Document doc = dev.loam.Document.create();
    dev.loam.sync.SyncState state = new dev.loam.sync.SyncState();
    dev.loam.sync.Sync.generateSyncMessage(doc, state).ifPresent(m ->
        dev.loam.sync.Sync.receiveSyncMessage(dev.loam.Document.create(), new dev.loam.sync.SyncState(), m.encode()));
  }

  /** The address the server listens on, as given to {@link Builder#host} ({@code 127.0.0.1} by default). */
  public String host() {
    return host;
  }

  /** The port bound (the one chosen by the system if the builder asked for 0). */
  public int port() {
    Server s = jetty;
    if (s == null) {
      throw new IllegalStateException("not started");
    }
    return ((ServerConnector) s.getConnectors()[0]).getLocalPort();
  }

  /** The server's peer id, as it announces it to clients. */
  public PeerId peerId() {
    return peerId;
  }

  /**
   * The id of the server's storage, as it announces it to peers.
   *
   * @throws IllegalStateException before {@link #start}
   */
  public StorageId storageId() {
    SyncHost h = host_;
    if (h == null) {
      throw new IllegalStateException("not started");
    }
    return h.storageId();
  }

  /** Where the server keeps documents. */
  public StorageAdapter storage() {
    return storage;
  }

  /** Where the server's meters go. */
  public MeterRegistry meterRegistry() {
    return registry;
  }

  /** The number of open WebSocket connections, joined or not. */
  public int connectionCount() {
    return adapter.connectionCount();
  }

  /** The number of peers that have joined and not left. */
  public int peerCount() {
    return adapter.peerCount();
  }

  /**
   * Drops every client connection at once without a close handshake, as a network failure would;
   * clients see the connection end and reconnect. For operators and tests.
   */
  public void dropConnections() {
    adapter.dropConnections();
  }

  /** The number of documents held in memory; 0 before {@link #start}. */
  public int documentCount() {
    SyncHost h = host_;
    return h == null ? 0 : h.documentCount();
  }

  Duration uptime() {
    return Duration.between(startedAt, clock.instant());
  }

  boolean isStopping() {
    return stopping;
  }

  /**
   * Whether the server can serve: not stopping and, in a cluster, its listener for the other
   * nodes' changes connected (storage reachability is {@code /health}'s own probe).
   */
  boolean ready() {
    PostgresCluster c = cluster;
    return !stopping && (c == null || c.listenerConnected());
  }

  /** Whether this server is one node of a cluster (PostgreSQL storage without the one-server lock). */
  public boolean clustered() {
    return cluster != null;
  }

  /** Blocks until {@link #close} has finished. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /** Graceful shutdown; idempotent. */
  @Override
  public synchronized void close() {
    if (stopping) {
      return;
    }
    stopping = true;
    log.info("loam server stopping");
    List<Exception> failures = new ArrayList<>();
    run(failures, adapter::close);
    PostgresCluster node = cluster;
    if (node != null) {
      run(failures, node::close);
    }
    SyncHost h = host_;
    if (h != null) {
      run(failures, h::close); // flushes, then closes the adapter (again) and the storage
    } else {
      run(failures, storage::close);
    }
    Server s = jetty;
    if (s != null) {
      run(failures, s::stop);
    }
    for (AutoCloseable c : closeOnStop) {
      run(failures, c::close);
    }
    stopped.countDown();
    if (failures.isEmpty()) {
      log.info("loam server stopped");
    } else {
      for (Exception e : failures) {
        log.error("loam server: a step of the shutdown failed", e);
      }
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void run(List<Exception> failures, Step step) {
    try {
      step.run();
    } catch (Exception e) {
      failures.add(e);
    }
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false; // Jetty will fail to bind it anyway
    }
  }

  /**
   * {@code storage-server-} and random base-36 digits. automerge-repo's sync server appends its
   * host name instead; every client and {@code /health} see the peer id, so it carries nothing
   * about the machine.
   */
  private static PeerId defaultPeerId() {
    return PeerId.of("storage-server-" + PeerId.random().value().substring("peer-".length()));
  }

  /** Configures a {@link LoamServer}. */
  public static final class Builder {
    private int port = 3030;
    private String host = "127.0.0.1";
    private final Set<String> allowedOrigins = new LinkedHashSet<>();
    private @Nullable StorageAdapter storage;
    private ServerLimits limits = ServerLimits.DEFAULT;
    private @Nullable MeterRegistry registry;
    private @Nullable PeerId peerId;
    private final List<AutoCloseable> closeOnStop = new ArrayList<>();
    private InstantSource clock = InstantSource.system();
    private int secureLogs = MAX_SECURE_LOGS;
    private boolean serveApp = true;

    private Builder() {}

    /**
     * Whether {@code GET /} serves Loam Notes, the collaborative notes web app of the
     * {@code loam-app} jar (default true). WebSocket upgrades are answered on every path either
     * way; the app's page connects back to the origin that served it.
     */
    public Builder serveApp(boolean serve) {
      this.serveApp = serve;
      return this;
    }

    /**
     * How many secure documents keep their membership log in memory (default 1,024); the least
     * recently used beyond that are rebuilt from storage when next needed.
     */
    public Builder secureLogsInMemory(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("secureLogsInMemory must be positive: " + n);
      }
      this.secureLogs = n;
      return this;
    }

    /**
     * The server's one source of the time of day (default the system clock): its start time and
     * uptime, and the repo's clock. Elapsed times of single operations (sync latency, rate
     * limits) are measured on the monotonic clock instead.
     */
    public Builder clock(InstantSource clock) {
      this.clock = java.util.Objects.requireNonNull(clock);
      return this;
    }

    /** The TCP port (default 3030; 0 picks a free one). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("not a port: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The address to bind: default {@code 127.0.0.1}, reachable only from this machine;
     * {@code 0.0.0.0} listens on every interface.
     */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /**
     * Web origins ({@code scheme://host[:port]}, or {@code *} for any) whose pages may open a
     * WebSocket to the server, besides the server's own origin. A WebSocket upgrade whose
     * {@code Origin} header names another site is refused with 403; clients that send no
     * {@code Origin} (the JS and Java repos outside a browser) are not affected. Adds to the
     * origins given before.
     *
     * @throws IllegalArgumentException if one is not an origin
     */
    public Builder allowedOrigins(Collection<String> origins) {
      for (String o : origins) {
        allowedOrigins.add(OriginCheck.normalise(o));
      }
      return this;
    }

    /** Where documents are kept; the server closes it on stop. */
    public Builder storage(StorageAdapter storage) {
      this.storage = storage;
      return this;
    }

    /** What each connection may send (default {@link ServerLimits#DEFAULT}). */
    public Builder limits(ServerLimits limits) {
      this.limits = limits;
      return this;
    }

    /** Where meters go; a {@link PrometheusMeterRegistry} (the default) is also served at {@code /metrics}. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = registry;
      return this;
    }

    /**
     * The server's peer id, which every client and {@code /health} see (default
     * {@code storage-server-} and random digits, fresh at each start).
     */
    public Builder peerId(PeerId peerId) {
      this.peerId = peerId;
      return this;
    }

    /** Something to close after the storage when the server stops (a lock, a pool). */
    public Builder closeOnStop(AutoCloseable resource) {
      this.closeOnStop.add(resource);
      return this;
    }

    /** The server, not yet started; IllegalStateException without a storage adapter. */
    public LoamServer build() {
      return new LoamServer(this);
    }
  }
}
