package dev.loam.peer;

import dev.loam.repo.id.PeerId;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.spi.NetworkAdapter;
import dev.loam.server.ServerLimits;
import dev.loam.server.WebSocketServerAdapter;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.util.Objects;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts automerge-repo WebSocket connections for a {@link dev.loam.repo.Repo}: the server side
 * of the protocol ({@link WebSocketServerAdapter}, the one {@code loam serve} runs) on a Jetty
 * listener of its own, as a {@link NetworkAdapter} to give any {@code RepoBuilder}. Stock JS
 * automerge-repo clients and Loam's {@code WebSocketClientAdapter} connect to it as to a sync server.
 *
 * <pre>{@code
 * Repo repo = Repo.builder().storage(storage).network(PeerListener.bind("0.0.0.0", 3031)).build();
 * }</pre>
 *
 * <p>It binds when built, so {@link #port()} is known before the repo is. Every WebSocket path is
 * served; other requests get 404. A WebSocket upgrade that carries an {@code Origin} header (sent
 * by browsers, never by the JS or Java repos) is refused with 403, so a web page the user visits
 * cannot reach the repo. The listener itself authenticates nobody: anyone who can connect can sync
 * the documents they name and those the repo's {@link dev.loam.repo.SharePolicy} announces.
 *
 * <p>Thread-safe; listener callbacks come on virtual threads, one at a time per connection.
 */
public final class PeerListener implements NetworkAdapter {
  private static final Logger log = LoggerFactory.getLogger(PeerListener.class);

  private final WebSocketServerAdapter adapter;
  private final Server jetty;
  private final String host;

  private PeerListener(String host, int port, ServerLimits limits) {
    this.host = host;
    this.adapter = WebSocketServerAdapter.builder().limits(limits).build();
    QueuedThreadPool pool = new QueuedThreadPool();
    pool.setName("loam-peer-http");
    Server server = new Server(pool);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(new NoBrowserOrigins(adapter.handler(new NotFound())));
    server.setStopTimeout(2_000);
    try {
      server.start();
    } catch (Exception e) {
      adapter.close();
      stopQuietly(server);
      throw new UncheckedIOException(new IOException("could not listen on " + host + ":" + port + ": " + e.getMessage(), e));
    }
    this.jetty = server;
  }

  /**
   * A listener on {@code host} ({@code 0.0.0.0} for every interface, {@code 127.0.0.1} for this
   * machine only) and {@code port} (0 for any free port) with the server's default limits. Blocks
   * while the port binds.
   *
   * @throws UncheckedIOException if the port cannot be bound (in use, not permitted)
   */
  public static PeerListener bind(String host, int port) {
    return bind(host, port, ServerLimits.DEFAULT);
  }

  /** As {@link #bind(String, int)} with {@code limits} on message size, rates and liveness. */
  public static PeerListener bind(String host, int port, ServerLimits limits) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    return new PeerListener(Objects.requireNonNull(host), port, Objects.requireNonNull(limits));
  }

  /** The port bound (the one the system chose if 0 was asked). Does not block. */
  public int port() {
    return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
  }

  /** The address bound, as given. Does not block. */
  public String host() {
    return host;
  }

  /** Peers connected through this listener now. Does not block. */
  public int peerCount() {
    return adapter.peerCount();
  }

  @Override
  public void connect(PeerId self, PeerMetadata metadata, Listener listener) {
    adapter.connect(self, metadata, listener);
    log.info("peer {} accepting connections on {}:{}", self, host, port());
  }

  @Override
  public void send(RepoMessage message) {
    adapter.send(message);
  }

  /** Closes every connection (status 1001), then stops listening. Idempotent; blocks while Jetty stops. */
  @Override
  public void close() {
    adapter.close();
    stopQuietly(jetty);
  }

  @Override
  public String toString() {
    return "PeerListener(" + host + ":" + port() + ")";
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("stopping the peer listener failed", e);
    }
  }

  /** Answers 404 to what is not a WebSocket upgrade. */
  private static final class NotFound extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
      return true;
    }
  }

  /** Refuses any request a browser sends for a page (it carries an {@code Origin}); runs on Jetty's threads, stateless. */
  private static final class NoBrowserOrigins extends Handler.Wrapper {
    NoBrowserOrigins(Handler next) {
      super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String origin = request.getHeaders().get(HttpHeader.ORIGIN);
      if (origin != null) {
        log.info("refusing a connection from the web page {}", origin);
        Response.writeError(request, response, callback, HttpStatus.FORBIDDEN_403, "web pages may not connect to a peer");
        return true;
      }
      return super.handle(request, response, callback);
    }
  }
}
