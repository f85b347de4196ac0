package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.server.LoamServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncCommandTest {
  @TempDir Path dir;
  LoamServer server;
  String ws;

  @BeforeEach
  void startServer() throws Exception {
    server = LoamServer.builder().host("127.0.0.1").port(0).storage(new InMemoryStorageAdapter()).build().start();
    ws = "ws://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void anEditSyncedFromOneFolderArrivesInAnother() throws Exception {
    Path file = dir.resolve("x.automerge");
    Cli.run("doc", "import", Cli.write(dir.resolve("in.json"), "{\"title\":\"hello\"}"), file).ok();
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    String url = Cli.run("repo", "new", "--data", a, "--from", file).ok().strip();

    String out = Cli.run("sync", url, "--data", a, "--server", ws).ok();
    assertTrue(out.startsWith("synced " + url + " with " + ws + " (heads "), out);
    Cli.run("sync", url, "--data", b, "--server", ws).ok();
    assertEquals("{\"title\":\"hello\"}\n", Cli.run("repo", "cat", url, "--data", b).ok());

    // an edit made in b travels back to a
    Path edited = dir.resolve("y.automerge");
    Cli.run("doc", "import", Cli.write(dir.resolve("in2.json"), "{\"from\":\"b\"}"), edited).ok();
    String other = Cli.run("repo", "new", "--data", b, "--from", edited).ok().strip();
    Cli.run("sync", other, "--data", b, "--server", ws).ok();
    Cli.run("sync", other, "--data", a, "--server", ws).ok();
    assertEquals("{\"from\":\"b\"}\n", Cli.run("repo", "cat", other, "--data", a).ok());
    assertEquals(2, Cli.run("repo", "ls", "--data", a).ok().lines().count());
  }

  @Test
  void aServerThatCannotBeReachedFailsOverToTheNextNode() throws Exception {
    Path file = dir.resolve("x.automerge");
    Cli.run("doc", "import", Cli.write(dir.resolve("in.json"), "{\"title\":\"failover\"}"), file).ok();
    String url = Cli.run("repo", "new", "--data", dir.resolve("a"), "--from", file).ok().strip();
    // port 1: nothing listens there, as on a dead node
    String out = Cli.run("sync", url, "--data", dir.resolve("a"), "--server", "ws://127.0.0.1:1", "--failover", ws).ok();
    assertTrue(out.startsWith("synced " + url), out);
    Cli.run("sync", url, "--data", dir.resolve("b"), "--server", ws).ok();
    assertEquals("{\"title\":\"failover\"}\n", Cli.run("repo", "cat", url, "--data", dir.resolve("b")).ok());
    String err = Cli.run("sync", url, "--data", dir.resolve("a"), "--server", ws, "--failover", "http://127.0.0.1:2").failed();
    assertTrue(err.contains("--failover http://127.0.0.1:2 is not a WebSocket URL"), err);
  }

  @Test
  void aDocumentNeitherSideHasFailsWithAClearMessage() {
    String url = dev.loam.repo.id.DocumentId.random().toUrl().toString();
    String err = Cli.run("sync", url, "--data", dir.resolve("a"), "--server", ws, "--timeout", "20").failed();
    assertTrue(err.contains("nor the server"), err);
  }

  @Test
  void anUnreachableServerFailsAfterTheTimeout() {
    String url = dev.loam.repo.id.DocumentId.random().toUrl().toString();
    String err = Cli.run("sync", url, "--data", dir.resolve("a"), "--server", "ws://127.0.0.1:1", "--timeout", "1").failed();
    assertTrue(err.contains("could not reach the sync server at ws://127.0.0.1:1"), err);
  }

  @Test
  void aPortWhereNothingListensFailsAtOnceNamingTheCause() {
    String url = dev.loam.repo.id.DocumentId.random().toUrl().toString();
    // --timeout 600: only failing fast ends this before the test's deadline
    Cli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> Cli.run("sync", url, "--data", dir.resolve("a"), "--server", "ws://127.0.0.1:1", "--timeout", "600"));
    assertEquals(1, r.code(), r.err());
    String err = r.failed();
    assertTrue(err.contains("could not reach the sync server at ws://127.0.0.1:1: connection refused"), err);
  }

  @Test
  void anHttpUrlFailsAtOnceWithAHint() {
    String url = dev.loam.repo.id.DocumentId.random().toUrl().toString();
    Cli.Result r = Cli.run("sync", url, "--data", dir.resolve("a"), "--server", "http://127.0.0.1:" + server.port());
    assertEquals(1, r.code(), r.err());
    String err = r.failed();
    assertTrue(err.contains("--server http://127.0.0.1:" + server.port() + " is not a WebSocket URL"), err);
    assertTrue(err.contains("try " + ws), err);
    assertFalse(Files.exists(dir.resolve("a")), "nothing created");
  }

  @Test
  void aServerThatAnswersWithoutAHandshakeFailsAtOnce() throws Exception {
    try (ServerSocket http = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread answer = Thread.ofVirtual().start(() -> {
        try (Socket s = http.accept()) {
          BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
          for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            // the request's head
          }
          s.getOutputStream().write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
          in.read(); // until the client hangs up
        } catch (IOException e) {
          // the test's end closed the socket
        }
      });
      String url = dev.loam.repo.id.DocumentId.random().toUrl().toString();
      String server = "ws://127.0.0.1:" + http.getLocalPort();
      Cli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(60),
          () -> Cli.run("sync", url, "--data", dir.resolve("a"), "--server", server, "--timeout", "600"));
      assertEquals(1, r.code(), r.err());
      String err = r.failed();
      assertTrue(err.contains("could not reach the sync server at " + server + ": it answered HTTP 404"), err);
      http.close();
      answer.join();
    }
  }

  @Test
  void aServerThatAcceptsAndStallsFailsAfterTheTimeout() throws Exception {
    // The kernel accepts connections into the backlog; nobody ever reads or answers them.
    try (ServerSocket stalled = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String url = dev.loam.repo.id.DocumentId.random().toUrl().toString();
      String server = "ws://127.0.0.1:" + stalled.getLocalPort();
      Cli.Result r = Cli.run("sync", url, "--data", dir.resolve("a"), "--server", server, "--timeout", "2");
      assertEquals(1, r.code(), r.err());
      String err = r.failed();
      assertTrue(err.contains("could not reach the sync server at " + server + " within 2 s"), err);
    }
  }
}
