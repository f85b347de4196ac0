package dev.loam.server;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses a WebSocket upgrade that a web page of another site asks for: a browser always sends
 * the page's {@code Origin} with an upgrade, and a page must not reach a server on the user's
 * machine only because the user visits it. Answers such an upgrade {@code 403} with one line of
 * text; passes every other request on.
 *
 * <p>An upgrade is let through when it has no {@code Origin} (non-browser clients: the JS and
 * Java repos), when its origin is in the allowed set ({@code *} allows any), or when it is the
 * server's own origin:
 * <ul>
 *   <li>on a server bound to a loopback address, an origin is its own when its host is
 *       {@code localhost}, {@code 127.0.0.1} or {@code [::1]} and its port is the server's. The
 *       {@code Host} header is not trusted here: a page that rebinds its DNS name to 127.0.0.1
 *       sends a matching {@code Host} and {@code Origin}, both naming its own site;
 *   <li>on any other server, when the origin's host and port are those of the {@code Host}
 *       header.
 * </ul>
 *
 * <p>Runs on Jetty's request threads; stateless after construction, so thread-safe.
 */
final class OriginCheck extends Handler.Wrapper {
  private static final Logger log = LoggerFactory.getLogger(OriginCheck.class);
  private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");

  private final Set<String> allowed;
  private final boolean loopbackServer;

  /**
   * @param allowed        normalised origins ({@link #normalise}) or {@code *}
   * @param loopbackServer whether the server listens on a loopback address only
   */
  OriginCheck(Set<String> allowed, boolean loopbackServer, Handler next) {
    super(next);
    this.allowed = Set.copyOf(allowed);
    this.loopbackServer = loopbackServer;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    if (origin == null || !isUpgrade(request) || accepts(origin, request)) {
      return super.handle(request, response, callback);
    }
    log.info("refused a WebSocket upgrade from origin {} (remote {})", origin, Request.getRemoteAddr(request));
    String body = "origin " + origin + " is not allowed to connect (a server started with --allowed-origins "
        + origin + " accepts it, if you trust that site)\n";
    response.setStatus(403);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }

  private static boolean isUpgrade(Request request) {
    String upgrade = request.getHeaders().get(HttpHeader.UPGRADE);
    return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
  }

  private boolean accepts(String origin, Request request) {
    if (allowed.contains("*")) {
      return true;
    }
    Optional<Origin> o = parse(origin);
    if (o.isEmpty()) {
      return false; // "null" (a sandboxed page, a file) or garbage
    }
    if (allowed.contains(o.get().text())) {
      return true;
    }
    if (loopbackServer) {
      return LOOPBACK_NAMES.contains(o.get().host()) && o.get().port() == Request.getLocalPort(request);
    }
    String host = request.getHeaders().get(HttpHeader.HOST);
    if (host == null) {
      return false;
    }
    Optional<Origin> own = parse((request.isSecure() ? "https://" : "http://") + host);
    return own.isPresent() && own.get().host().equals(o.get().host()) && own.get().port() == o.get().port();
  }

  /**
   * {@code origin} as {@code scheme://host[:port]} in lower case without a default port, for
   * comparison.
   *
   * @throws IllegalArgumentException if it is not {@code *} or such an origin (no path, no query)
   */
  static String normalise(String origin) {
    if (origin.equals("*")) {
      return origin;
    }
    return parse(origin).map(Origin::text).orElseThrow(() -> new IllegalArgumentException(
        "not an origin (scheme://host[:port], e.g. http://localhost:5173): " + origin));
  }

  /** A parsed origin: lower-case scheme and host (IPv6 in brackets) and the effective port. */
  private record Origin(String scheme, String host, int port) {
    String text() {
      int standard = defaultPort(scheme);
      return scheme + "://" + host + (port == standard ? "" : ":" + port);
    }
  }

  private static Optional<Origin> parse(String text) {
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    String scheme = uri.getScheme();
    String host = uri.getHost();
    boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
        && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
    if (scheme == null || host == null || !bare) {
      return Optional.empty();
    }
    scheme = scheme.toLowerCase(Locale.ROOT);
    int standard = defaultPort(scheme);
    if (standard < 0) {
      return Optional.empty();
    }
    return Optional.of(new Origin(scheme, host.toLowerCase(Locale.ROOT), uri.getPort() < 0 ? standard : uri.getPort()));
  }

  private static int defaultPort(String scheme) {
    return switch (scheme) {
      case "http", "ws" -> 80;
      case "https", "wss" -> 443;
      default -> -1;
    };
  }
}
