package dev.loam.server;

import dev.loam.repo.storage.InMemoryStorageAdapter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loam Notes at {@code GET /}: the files of the {@code loam-app} jar (on this test's class path)
 * with their types and caching, compressed on request, beside WebSocket upgrades on the same path
 * and the origin check; and nothing of it with {@code serveApp(false)}.
 */
class AppHandlerTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static LoamServer server(boolean app) throws Exception {
    return LoamServer.builder().port(0).serveApp(app).storage(new InMemoryStorageAdapter()).build().start();
  }

  private static HttpResponse<byte[]> get(int port, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A file of the built app as the jar holds it: the reference the server's answers are checked against. */
  private static byte[] resource(String name) throws IOException {
    try (InputStream in = AppHandlerTest.class.getClassLoader().getResourceAsStream("loam-app/" + name)) {
      assertNotNull(in, "loam-app/" + name + " is not on the class path (is loam-app built?)");
      return in.readAllBytes();
    }
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse("(none)");
  }

  private static String script(byte[] page) {
    Matcher m = Pattern.compile("src=\"(assets/app-[A-Z0-9]+\\.js)\"").matcher(new String(page, java.nio.charset.StandardCharsets.UTF_8));
    assertTrue(m.find(), "index.html names no script");
    return m.group(1);
  }

  @Test
  void the_page_is_served_at_the_root_revalidated_and_confined_by_its_content_security_policy() throws Exception {
    try (LoamServer server = server(true)) {
      HttpResponse<byte[]> r = get(server.port(), "/");
      assertEquals(200, r.statusCode());
      assertEquals("text/html; charset=utf-8", header(r, "content-type"));
      assertArrayEquals(resource("index.html"), r.body());
      assertEquals("no-cache", header(r, "cache-control"));
      assertEquals("nosniff", header(r, "x-content-type-options"));
      String csp = header(r, "content-security-policy");
      assertTrue(csp.contains("connect-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);

      HttpResponse<byte[]> again = get(server.port(), "/", "If-None-Match", header(r, "etag"));
      assertEquals(304, again.statusCode());
      assertEquals(0, again.body().length);

      HttpResponse<byte[]> head = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, head.statusCode());
      assertEquals(String.valueOf(resource("index.html").length), header(head, "content-length"));
      assertEquals(0, head.body().length);
    }
  }

  @Test
  void hashed_assets_are_immutable_typed_and_gzipped_for_clients_that_accept_it() throws Exception {
    try (LoamServer server = server(true)) {
      String js = script(resource("index.html"));
      HttpResponse<byte[]> plain = get(server.port(), "/" + js);
      assertEquals(200, plain.statusCode());
      assertEquals("text/javascript; charset=utf-8", header(plain, "content-type"));
      assertEquals("public, max-age=31536000, immutable", header(plain, "cache-control"));
      assertArrayEquals(resource(js), plain.body());
      assertEquals("(none)", header(plain, "content-encoding"));

      HttpResponse<byte[]> gz = get(server.port(), "/" + js, "Accept-Encoding", "gzip");
      assertEquals("gzip", header(gz, "content-encoding"));
      assertEquals("Accept-Encoding", header(gz, "vary"));
      assertTrue(gz.body().length < plain.body().length);
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
        assertArrayEquals(resource(js), in.readAllBytes());
      }

      String wasm = new String(resource("files"), java.nio.charset.StandardCharsets.UTF_8).lines()
          .filter(l -> l.endsWith(".wasm")).findFirst().orElseThrow();
      HttpResponse<byte[]> w = get(server.port(), "/" + wasm);
      assertEquals("application/wasm", header(w, "content-type"));
      assertArrayEquals(resource(wasm), w.body());

      HttpResponse<byte[]> sw = get(server.port(), "/sw.js");
      assertEquals("text/javascript; charset=utf-8", header(sw, "content-type"));
      assertEquals("no-cache", header(sw, "cache-control"), "a service worker must be revalidated, or old builds live on");

      assertEquals(404, get(server.port(), "/assets/app-NOTTHERE.js", "Accept", "text/html").statusCode());
    }
  }

  @Test
  void a_browser_navigating_to_another_path_gets_the_page_and_other_requests_get_404() throws Exception {
    try (LoamServer server = server(true)) {
      HttpResponse<byte[]> page = get(server.port(), "/notes", "Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
      assertEquals(200, page.statusCode());
      assertArrayEquals(resource("index.html"), page.body());
      assertEquals(404, get(server.port(), "/nothing-here").statusCode());
      assertEquals(404, get(server.port(), "/favicon.ico", "Accept", "text/html").statusCode());
      assertEquals(200, get(server.port(), "/health").statusCode());
    }
  }

  @Test
  void websocket_upgrades_at_the_root_still_work_and_other_sites_are_still_refused() throws Exception {
    try (LoamServer server = server(true)) {
      int port = server.port();
      assertEquals(101, OriginCheckTest.upgrade(port, "127.0.0.1:" + port, Optional.empty()).status());
      assertEquals(101, OriginCheckTest.upgrade(port, "/index.html", "127.0.0.1:" + port, Optional.empty()).status());
      assertEquals(101, OriginCheckTest.upgrade(port, "/assets/any/path", "127.0.0.1:" + port, Optional.empty()).status());
      assertEquals(101, OriginCheckTest.upgrade(port, "localhost:" + port, Optional.of("http://localhost:" + port)).status());
      assertEquals(403, OriginCheckTest.upgrade(port, "localhost:" + port, Optional.of("http://localhost:8080")).status());
      assertEquals(403, OriginCheckTest.upgrade(port, "localhost:" + port, Optional.of("https://evil.example")).status());
    }
  }

  @Test
  void without_the_app_the_root_is_404_and_websockets_work() throws Exception {
    try (LoamServer server = server(false)) {
      int port = server.port();
      HttpResponse<byte[]> r = get(server.port(), "/", "Accept", "text/html");
      assertEquals(404, r.statusCode());
      assertFalse(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8).contains("Loam Notes"), "the app page");
      assertEquals(404, get(server.port(), "/" + script(resource("index.html"))).statusCode());
      assertEquals(101, OriginCheckTest.upgrade(port, "127.0.0.1:" + port, Optional.empty()).status());
    }
  }

  @Test
  void a_build_without_the_app_answers_the_root_with_a_404_saying_so() throws Exception {
    org.eclipse.jetty.server.Server jetty = new org.eclipse.jetty.server.Server();
    org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    jetty.addConnector(connector);
    jetty.setHandler(new AppHandler(new ClassLoader(null) {})); // finds no resources at all
    jetty.start();
    try {
      HttpResponse<byte[]> r = get(connector.getLocalPort(), "/", "Accept", "text/html");
      assertEquals(404, r.statusCode());
      assertTrue(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8).contains("-Dloam.app.skip=true"));
      assertEquals(404, get(connector.getLocalPort(), "/sw.js").statusCode());
    } finally {
      jetty.stop();
    }
  }

  @Test
  void content_types_follow_the_file_extension() {
    assertEquals("text/html; charset=utf-8", AppHandler.contentType("index.html"));
    assertEquals("text/css; charset=utf-8", AppHandler.contentType("assets/app-X.css"));
    assertEquals("application/wasm", AppHandler.contentType("assets/automerge-X.wasm"));
    assertEquals("image/svg+xml", AppHandler.contentType("icon.svg"));
    assertEquals("application/octet-stream", AppHandler.contentType("README"));
  }
}
