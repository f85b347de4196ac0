package dev.loam.server;

import dev.loam.repo.spi.StorageKey;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Answers the plain HTTP requests: {@code GET /health} (200 and a JSON status when the server is
 * ready: storage answers and, for a cluster node, its listener for the other nodes' changes is
 * connected; 503 when not) and {@code GET /metrics} (Prometheus text format). Anything else is 404.
 * Runs on Jetty's request threads; the health check reads one key from storage.
 */
final class OpsHandler extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(OpsHandler.class);
  private static final StorageKey PROBE = StorageKey.of("storage-adapter-id");

  private final LoamServer server;
  private final @Nullable PrometheusMeterRegistry prometheus;

  OpsHandler(LoamServer server, @Nullable PrometheusMeterRegistry prometheus) {
    this.server = server;
    this.prometheus = prometheus;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    boolean get = HttpMethod.GET.is(request.getMethod()) || HttpMethod.HEAD.is(request.getMethod());
    switch (path) {
      case "/health" -> {
        if (!get) {
          return false;
        }
        boolean up;
        try {
          server.storage().load(PROBE);
          up = server.ready();
        } catch (RuntimeException e) {
          log.warn("health check: storage does not answer", e);
          up = false;
        }
        String json = "{\"status\":\"" + (up ? "up" : "down") + "\""
            + ",\"peerId\":\"" + escape(server.peerId().value()) + "\""
            + ",\"storageId\":\"" + escape(server.storageId().value()) + "\""
            + ",\"connections\":" + server.connectionCount()
            + ",\"peers\":" + server.peerCount()
            + ",\"documents\":" + server.documentCount()
            + ",\"uptimeSeconds\":" + server.uptime().toSeconds()
            + (server.clustered() ? ",\"cluster\":{\"listener\":\"" + (server.ready() ? "connected" : "disconnected") + "\"}" : "")
            + "}\n";
        write(response, callback, up ? 200 : 503, "application/json", json);
        return true;
      }
      case "/metrics" -> {
        if (!get || prometheus == null) {
          return false;
        }
        write(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8", prometheus.scrape());
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  private static void write(Response response, Callback callback, int status, String type, String body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
  }

  private static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
