package dev.loam.server;

import dev.loam.repo.storage.InMemoryStorageAdapter;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code loam serve} out of the box: reachable from this machine only, and from no web page of another site. */
class OriginCheckTest {
  /** The status line and body of a WebSocket upgrade sent with {@code host} and, if given, {@code origin}. */
  record Answer(String statusLine, String text) {
    int status() {
      return Integer.parseInt(statusLine.split(" ")[1]);
    }
  }

  static Answer upgrade(int port, String host, Optional<String> origin) throws IOException {
    return upgrade(port, "/", host, origin);
  }

  /** As {@link #upgrade(int, String, Optional)}, on {@code path}. */
  static Answer upgrade(int port, String path, String host, Optional<String> origin) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
      s.setSoTimeout(10_000); // the deadline for the answer
      String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + origin.map(o -> "Origin: " + o + "\r\n").orElse("") + "\r\n";
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      String status = in.readLine();
      int length = 0;
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
        }
      }
      char[] body = new char[status.contains(" 101 ") ? 0 : length]; // the body is ASCII here
      int read = 0;
      while (read < body.length) {
        int n = in.read(body, read, body.length - read);
        if (n < 0) {
          break;
        }
        read += n;
      }
      return new Answer(status, new String(body, 0, read));
    }
  }

  private static LoamServer server(List<String> allowed) throws Exception {
    return LoamServer.builder().port(0).storage(new InMemoryStorageAdapter()).allowedOrigins(allowed).build().start();
  }

  @Test
  void an_upgrade_from_a_page_of_another_site_is_refused_with_403_and_a_short_reason() throws Exception {
    try (LoamServer server = server(List.of())) {
      Answer a = upgrade(server.port(), "127.0.0.1:" + server.port(), Optional.of("http://evil.example"));
      assertEquals(403, a.status(), a.statusLine());
      assertTrue(a.text().contains("origin http://evil.example is not allowed to connect"), a.text());
      assertEquals(0, server.connectionCount());
    }
  }

  @Test
  void an_upgrade_without_an_origin_is_accepted_as_the_js_and_java_repos_send_it() throws Exception {
    try (LoamServer server = server(List.of())) {
      assertEquals(101, upgrade(server.port(), "127.0.0.1:" + server.port(), Optional.empty()).status());
    }
  }

  @Test
  void an_allowed_origin_is_accepted_and_a_similar_one_is_not() throws Exception {
    try (LoamServer server = server(List.of("http://localhost:5173", "HTTPS://App.Example"))) {
      String host = "127.0.0.1:" + server.port();
      assertEquals(101, upgrade(server.port(), host, Optional.of("http://localhost:5173")).status());
      assertEquals(101, upgrade(server.port(), host, Optional.of("https://app.example:443")).status());
      assertEquals(403, upgrade(server.port(), host, Optional.of("http://localhost:5174")).status());
      assertEquals(403, upgrade(server.port(), host, Optional.of("http://app.example")).status());
    }
  }

  @Test
  void a_star_allows_every_origin() throws Exception {
    try (LoamServer server = server(List.of("*"))) {
      assertEquals(101, upgrade(server.port(), "127.0.0.1:" + server.port(), Optional.of("http://evil.example")).status());
    }
  }

  @Test
  void a_loopback_server_accepts_pages_of_its_own_loopback_origin_only() throws Exception {
    try (LoamServer server = server(List.of())) {
      int port = server.port();
      String host = "127.0.0.1:" + port;
      for (String own : List.of("http://localhost:" + port, "http://127.0.0.1:" + port, "http://[::1]:" + port)) {
        assertEquals(101, upgrade(port, host, Optional.of(own)).status(), own);
      }
      assertEquals(403, upgrade(port, host, Optional.of("http://localhost:" + (port == 65535 ? 1 : port + 1))).status());
      assertEquals(403, upgrade(port, host, Optional.of("null")).status());
      // DNS rebinding: the page's name now points at 127.0.0.1, and Host and Origin both name it
      String rebound = "evil.example:" + port;
      assertEquals(403, upgrade(port, rebound, Optional.of("http://" + rebound)).status());
    }
  }

  @Test
  void a_server_on_a_public_address_accepts_the_origin_its_host_header_names() throws Exception {
    // The rule for a server bound to every interface, exercised on loopback: same host and port as Host.
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    jetty.setHandler(new OriginCheck(Set.of(), false, new Handler.Abstract() {
      @Override
      public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                            org.eclipse.jetty.util.Callback callback) {
        response.setStatus(204); // stands for the upgrade
        callback.succeeded();
        return true;
      }
    }));
    jetty.start();
    try {
      int port = connector.getLocalPort();
      assertEquals(204, upgrade(port, "sync.example:8080", Optional.of("http://sync.example:8080")).status());
      assertEquals(204, upgrade(port, "sync.example", Optional.of("http://SYNC.example")).status());
      assertEquals(403, upgrade(port, "sync.example:8080", Optional.of("http://sync.example:8081")).status());
      assertEquals(403, upgrade(port, "sync.example:8080", Optional.of("http://evil.example:8080")).status());
    } finally {
      jetty.stop();
    }
  }

  @Test
  void an_origin_that_is_not_scheme_host_port_is_refused_by_the_builder() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LoamServer.builder().allowedOrigins(List.of("http://localhost:5173/app")));
    assertTrue(e.getMessage().contains("http://localhost:5173/app"), e.getMessage());
  }

  @Test
  void by_default_the_server_listens_on_loopback_only() throws Exception {
    try (LoamServer server = LoamServer.builder().port(0).storage(new InMemoryStorageAdapter()).build().start()) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
        assertTrue(s.isConnected());
      }
      Optional<InetAddress> external = NetworkInterface.networkInterfaces()
          .flatMap(NetworkInterface::inetAddresses)
          .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
          .findFirst();
      assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address to try");
      assertThrows(ConnectException.class, () -> {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(external.get(), server.port()), 10_000);
        }
      });
    }
  }
}
