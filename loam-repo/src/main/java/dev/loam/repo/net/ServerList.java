package dev.loam.repo.net;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * The server URLs a {@link WebSocketClientAdapter} uses, in turn: the nodes of one cluster, each
 * reconnect trying the next. Guarded by the adapter's lock (its {@link #current} may be read from
 * any thread).
 */
final class ServerList {
  private final List<URI> uris;
  private volatile int at;

  ServerList(List<URI> uris) {
    if (uris.isEmpty()) {
      throw new IllegalArgumentException("no server URL");
    }
    this.uris = List.copyOf(uris);
  }

  /** {@code uri} if it is a {@code ws} or {@code wss} URL with a host. */
  static URI checked(URI uri) {
    String scheme = Objects.requireNonNull(uri).getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("ws") || scheme.equalsIgnoreCase("wss")) || uri.getHost() == null) {
      throw new IllegalArgumentException("not a WebSocket URL (ws://host:port or wss://host:port): " + uri);
    }
    return uri;
  }

  int size() {
    return uris.size();
  }

  URI current() {
    return uris.get(at);
  }

  /** Moves to the next URL (the first after the last) and returns it. */
  URI next() {
    at = (at + 1) % uris.size();
    return uris.get(at);
  }
}
