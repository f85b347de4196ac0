package dev.loam.peer;

import dev.loam.repo.Repo;
import dev.loam.repo.RepoBuilder;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.net.WebSocketClientAdapter;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.spi.NetworkAdapter;
import dev.loam.server.ServerLimits;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A repo that syncs with its peers directly, with no server: it accepts connections
 * ({@link PeerListener}), makes them ({@link PeerDialer}) to the URLs it is given and, when given a
 * {@link Discovery}, announces itself and connects to the peers it finds. Documents travel as
 * between any automerge-repo peers, the repo's {@link dev.loam.repo.SharePolicy} deciding what is
 * announced to whom, so in a line A–B–C, B relays A's documents to C.
 *
 * <pre>{@code
 * try (LoamPeer peer = LoamPeer.builder(Repo.builder().storage(storage))
 *     .port(3031).discovery(MdnsDiscovery.create()).events(System.out::println).build()) {
 *   DocHandle doc = peer.repo().create();
 * }
 * }</pre>
 *
 * <p>One connection per pair of discovered peers: the peer whose id sorts first dials, the other
 * waits to be dialled (both see each other's announcements, so each knows its role). A peer lost by
 * discovery is hung up on; one that was dialled through {@link Builder#connect} is redialled until
 * the peer closes.
 *
 * <p>Thread-safe. {@link Event}s come on network and discovery threads, one at a time.
 */
public final class LoamPeer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LoamPeer.class);

  /** Something that happened to one peer. */
  public sealed interface Event {
    /** The peer it happened to. */
    PeerId peerId();

    /** Discovery found {@code peerId}, reachable at {@code uri}. */
    record Found(PeerId peerId, URI uri) implements Event {}

    /** Discovery lost {@code peerId}. */
    record Lost(PeerId peerId) implements Event {}

    /** A connection with {@code peerId} completed its handshake; {@code incoming} if it dialled us. */
    record Connected(PeerId peerId, PeerMetadata metadata, boolean incoming) implements Event {}

    /** A connection with {@code peerId} ended. */
    record Disconnected(PeerId peerId, boolean incoming) implements Event {}
  }

  /** Hears a peer's {@link Event}s. */
  @FunctionalInterface
  public interface Events {
    /** Called with each event, one at a time. */
    void on(Event event);
  }

  private final PeerListener listener;
  private final PeerDialer dialer;
  private final @Nullable Discovery discovery;
  private final Events events;
  private final Repo repo;
  private final Map<PeerId, URI> discovered = new HashMap<>(); // guarded by this
  private boolean closed; // guarded by this

  private LoamPeer(Builder b, RepoBuilder repoBuilder) {
    this.events = b.events;
    this.discovery = b.discovery;
    this.listener = PeerListener.bind(b.host, b.port, b.limits);
    this.dialer = b.clients == null ? PeerDialer.create() : PeerDialer.create(b.clients);
    Repo built;
    try {
      built = repoBuilder.network(new Tapped(listener, true)).network(new Tapped(dialer, false)).build();
    } catch (RuntimeException e) {
      listener.close();
      dialer.close();
      throw e;
    }
    this.repo = built;
    for (URI uri : b.connect) {
      dialer.dial(uri);
    }
    if (discovery != null) {
      try {
        discovery.start(new Discovery.Announcement(repo.peerId(), repo.storageId(), listener.port()), new Discovered());
      } catch (RuntimeException e) {
        repo.close();
        throw e;
      }
    }
  }

  /** A builder that will add the peer's network adapters to {@code repo} and build it. */
  public static Builder builder(RepoBuilder repo) {
    return new Builder(Objects.requireNonNull(repo));
  }

  /** The repo: create, find and change documents through it. Does not block. */
  public Repo repo() {
    return repo;
  }

  /** The port this peer listens on. Does not block. */
  public int port() {
    return listener.port();
  }

  /** Connects to {@code uri} too (and keeps reconnecting until closed). Does not block. */
  public void connect(URI uri) {
    dialer.dial(uri);
  }

  /** Stops discovery (withdrawing the announcement), then closes the repo: it saves, disconnects and stops listening. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      if (discovery != null) {
        discovery.close();
      }
    } finally {
      repo.close();
    }
  }

  private void emit(Event event) {
    synchronized (events) {
      try {
        events.on(event);
      } catch (RuntimeException e) {
        log.warn("a peer event listener failed on {}", event, e);
      }
    }
  }

  /** Connects to found peers whose id sorts after ours; hangs up on lost ones. */
  private final class Discovered implements Discovery.Listener {
    @Override
    public void found(Discovery.Found peer) {
      emit(new Event.Found(peer.peerId(), peer.uri()));
      boolean dials = repo.peerId().value().compareTo(peer.peerId().value()) < 0;
      URI previous;
      synchronized (LoamPeer.this) {
        if (closed || !dials) {
          return;
        }
        previous = discovered.put(peer.peerId(), peer.uri());
      }
      if (previous != null && !previous.equals(peer.uri())) {
        dialer.hangUp(previous);
      }
      dialer.dial(peer.uri());
    }

    @Override
    public void lost(PeerId peer) {
      emit(new Event.Lost(peer));
      URI uri;
      synchronized (LoamPeer.this) {
        uri = discovered.remove(peer);
      }
      if (uri != null) {
        dialer.hangUp(uri);
      }
    }
  }

  /** An adapter whose peers' comings and goings are also {@link Event}s. */
  private final class Tapped implements NetworkAdapter {
    private final NetworkAdapter inner;
    private final boolean incoming;

    Tapped(NetworkAdapter inner, boolean incoming) {
      this.inner = inner;
      this.incoming = incoming;
    }

    @Override
    public void connect(PeerId self, PeerMetadata metadata, Listener repoListener) {
      inner.connect(self, metadata, new Listener() {
        @Override
        public void peerCandidate(PeerId peer, PeerMetadata md) {
          repoListener.peerCandidate(peer, md);
          emit(new Event.Connected(peer, md, incoming));
        }

        @Override
        public void peerDisconnected(PeerId peer) {
          repoListener.peerDisconnected(peer);
          emit(new Event.Disconnected(peer, incoming));
        }

        @Override
        public void message(RepoMessage message) {
          repoListener.message(message);
        }
      });
    }

    @Override
    public void send(RepoMessage message) {
      inner.send(message);
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  /** Configures a {@link LoamPeer}. Not thread-safe. */
  public static final class Builder {
    private final RepoBuilder repo;
    private String host = "0.0.0.0";
    private int port;
    private ServerLimits limits = ServerLimits.DEFAULT;
    private @Nullable Discovery discovery;
    private final List<URI> connect = new ArrayList<>();
    private Events events = e -> { };
    private @Nullable Function<URI, WebSocketClientAdapter> clients;

    private Builder(RepoBuilder repo) {
      this.repo = repo;
    }

    /** The address to listen on: default {@code 0.0.0.0} (every interface, so LAN peers reach it); {@code 127.0.0.1} for this machine only. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host);
      return this;
    }

    /** The port to listen on; default 0, any free port. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /** Limits on what connecting peers may send (as {@code loam serve}'s); default {@link ServerLimits#DEFAULT}. */
    public Builder limits(ServerLimits limits) {
      this.limits = Objects.requireNonNull(limits);
      return this;
    }

    /** Announces this peer and connects to the peers found; default none (discovery is opt-in). */
    public Builder discovery(Discovery discovery) {
      this.discovery = Objects.requireNonNull(discovery);
      return this;
    }

    /** Also connects to {@code uri} ({@code ws://host:port}), reconnecting until closed. */
    public Builder connect(URI uri) {
      if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme())) {
        throw new IllegalArgumentException("not a ws:// or wss:// URL: " + uri);
      }
      this.connect.add(uri);
      return this;
    }

    /** Hears peers found, lost, connected and disconnected; default none. */
    public Builder events(Events events) {
      this.events = Objects.requireNonNull(events);
      return this;
    }

    /** Makes the client of each outgoing connection (backoff, limits); default the client's defaults. */
    public Builder clients(Function<URI, WebSocketClientAdapter> clients) {
      this.clients = Objects.requireNonNull(clients);
      return this;
    }

    /**
     * Binds the port, builds the repo with the peer's adapters, dials the given URLs and starts
     * discovery. Blocks while the port binds, storage opens and discovery registers.
     *
     * @throws java.io.UncheckedIOException if the port cannot be bound or discovery cannot start
     */
    public LoamPeer build() {
      return new LoamPeer(this, repo);
    }
  }

  @Override
  public String toString() {
    return "LoamPeer(" + repo.peerId() + ", port " + port() + ")";
  }
}
