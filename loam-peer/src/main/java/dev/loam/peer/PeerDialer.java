package dev.loam.peer;

import dev.loam.repo.id.PeerId;
import dev.loam.repo.net.WebSocketClientAdapter;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.spi.NetworkAdapter;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes outgoing automerge-repo WebSocket connections for a {@link dev.loam.repo.Repo}, to peers
 * named while the repo runs: one {@link WebSocketClientAdapter} per URL (each reconnects with
 * backoff until {@link #hangUp}), behind one {@link NetworkAdapter}, since a repo takes its adapters
 * when built.
 *
 * <p>A peer reached through two of its URLs is reported to the repo by the connection that
 * reached it last; the end of the other connection is not reported, so the repo keeps the peer.
 *
 * <p>Thread-safe; listener callbacks come on each client adapter's threads.
 */
public final class PeerDialer implements NetworkAdapter {
  private static final Logger log = LoggerFactory.getLogger(PeerDialer.class);
  private final Function<URI, WebSocketClientAdapter> clients;
  private final ConcurrentHashMap<URI, Dial> dials = new ConcurrentHashMap<>();
  /** The dial that last reported each peer: messages to the peer go through it. */
  private final ConcurrentHashMap<PeerId, Dial> routes = new ConcurrentHashMap<>();
  private @Nullable Start start; // guarded by this
  private boolean closed; // guarded by this

  private record Start(PeerId self, PeerMetadata metadata, Listener listener) {}

  private PeerDialer(Function<URI, WebSocketClientAdapter> clients) {
    this.clients = clients;
  }

  /** A dialer whose connections use the client adapter's defaults. */
  public static PeerDialer create() {
    return new PeerDialer(uri -> WebSocketClientAdapter.builder(uri).build());
  }

  /** A dialer that makes each connection's client with {@code clients} (to set backoff, limits, liveness). */
  public static PeerDialer create(Function<URI, WebSocketClientAdapter> clients) {
    return new PeerDialer(Objects.requireNonNull(clients));
  }

  /**
   * Connects to {@code uri} ({@code ws://host:port}) and keeps reconnecting until {@link #hangUp};
   * does nothing if already dialling it. Before the repo starts the adapter, the dial waits for it.
   * Does not block.
   *
   * @throws IllegalArgumentException if {@code uri} is not a {@code ws} or {@code wss} URL
   * @throws IllegalStateException if the dialer is closed
   */
  public void dial(URI uri) {
    Dial d;
    Start s;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the dialer is closed");
      }
      if (dials.containsKey(uri)) {
        return;
      }
      d = new Dial(uri, clients.apply(uri));
      dials.put(uri, d);
      s = start;
    }
    if (s != null) {
      d.start(s);
    }
  }

  /** Closes the connection to {@code uri} and stops reconnecting to it; does nothing if not dialled. Blocks while it closes. */
  public void hangUp(URI uri) {
    Dial d = dials.remove(uri);
    if (d != null) {
      d.client.close();
    }
  }

  /** The URLs dialled now. Does not block. */
  public Set<URI> dialled() {
    return Set.copyOf(dials.keySet());
  }

  @Override
  public void connect(PeerId self, PeerMetadata metadata, Listener listener) {
    Start s = new Start(self, metadata, listener);
    List<Dial> pending;
    synchronized (this) {
      if (start != null) {
        throw new IllegalStateException("connect is called once");
      }
      start = s;
      pending = List.copyOf(dials.values());
    }
    for (Dial d : pending) {
      d.start(s);
    }
  }

  @Override
  public void send(RepoMessage message) {
    message.target().map(routes::get).ifPresent(d -> d.client.send(message));
  }

  /** Closes every connection. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    for (URI uri : List.copyOf(dials.keySet())) {
      hangUp(uri);
    }
  }

  /** One dialled URL; its listener forwards to the repo's, keeping {@link #routes}. */
  private final class Dial {
    final URI uri;
    final WebSocketClientAdapter client;

    Dial(URI uri, WebSocketClientAdapter client) {
      this.uri = uri;
      this.client = client;
    }

    void start(Start s) {
      // the client retries quietly; that nothing answers at the URL is said once, unless hung up meanwhile
      client.firstHandshake().whenComplete((peer, failure) -> {
        Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
        if (cause != null && dials.get(uri) == this) {
          log.warn("{}; retrying with backoff", cause.getMessage());
        }
      });
      client.connect(s.self(), s.metadata(), new Listener() {
        @Override
        public void peerCandidate(PeerId peer, PeerMetadata metadata) {
          routes.put(peer, Dial.this);
          s.listener().peerCandidate(peer, metadata);
        }

        @Override
        public void peerDisconnected(PeerId peer) {
          if (routes.remove(peer, Dial.this)) {
            s.listener().peerDisconnected(peer);
          }
        }

        @Override
        public void message(RepoMessage message) {
          s.listener().message(message);
        }
      });
    }
  }
}
