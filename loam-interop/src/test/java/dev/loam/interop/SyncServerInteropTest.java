package dev.loam.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.loam.Document;
import dev.loam.repo.id.AutomergeUrl;
import dev.loam.repo.storage.SqliteStorageAdapter;
import dev.loam.repo.internal.StorageSubsystem;
import dev.loam.server.LoamServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Stock JS automerge-repo 2.5.6 clients ({@code Repo} + {@code WebSocketClientAdapter}, driven by
 * js/server-clients.mjs) against the Loam sync server.
 */
class SyncServerInteropTest {
  @TempDir Path folder;

  @Test
  void twoJsReposEditOneDocumentThroughTheLoamServerAndConverge() throws Exception {
    requireNodeModules();
    Path data = folder.resolve("data");
    Files.createDirectories(data);
    try (LoamServer server = LoamServer.builder().port(0).host("127.0.0.1")
        .storage(SqliteStorageAdapter.open(data.resolve("loam.db"))).build().start()) {
      JsonNode r = NodeDriver.JSON.readTree(runNode(120, "converge", "ws://127.0.0.1:" + server.port(), "30"));
      assertEquals(r.get("a").get("heads"), r.get("b").get("heads"), "same heads");
      assertEquals(r.get("a").get("json"), r.get("b").get("json"), "same JSON");
      assertEquals(30, r.get("a").get("json").get("a").size());
      assertEquals(30, r.get("a").get("json").get("b").size());
      server.close();
      // What the server stored is what the clients converged to.
      try (SqliteStorageAdapter storage = SqliteStorageAdapter.open(data.resolve("loam.db"))) {
        Document doc = new StorageSubsystem(storage)
            .loadDoc(AutomergeUrl.parse(r.get("url").asString()).documentId()).orElseThrow();
        assertEquals(r.get("a").get("json"), NodeDriver.JSON.readTree(doc.toJson()));
      }
    }
  }

  @Test
  void killingTheServerDuringABurstOfWritesLosesNoAcknowledgedChange() throws Exception {
    requireNodeModules();
    Path data = folder.resolve("data");
    int port = freePort();
    String ws = "ws://127.0.0.1:" + port;
    Process server = startServer(port, data);
    Process writer = node("write", ws);
    AtomicReference<String> url = new AtomicReference<>();
    AtomicInteger acked = new AtomicInteger();
    CompletableFuture<Void> enoughAcked = new CompletableFuture<>();
    CompletableFuture<Void> writerDisconnected = new CompletableFuture<>();
    Thread reader = Thread.ofPlatform().daemon().start(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          JsonNode j = NodeDriver.JSON.readTree(line);
          if (j.has("url")) {
            url.set(j.get("url").asString());
          } else if (j.has("acked")) {
            if (acked.accumulateAndGet(j.get("acked").asInt(), Math::max) >= 150) {
              enoughAcked.complete(null);
            }
          } else if (j.has("disconnected")) {
            writerDisconnected.complete(null);
          }
        }
      } catch (IOException e) {
        // the writer was killed
      }
    });
    try {
      try {
        enoughAcked.get(60, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        fail("the server acknowledged only " + acked.get() + " writes");
      }
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL mid-burst
      // the writer has read every acknowledgement the server sent once it sees the socket end
      writerDisconnected.get(30, TimeUnit.SECONDS);
      writer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      reader.join(5_000);
      int ackedBeforeKill = acked.get();

      server = startServer(port, data);
      JsonNode r = NodeDriver.JSON.readTree(runNode(60, "read", ws, url.get(), Integer.toString(ackedBeforeKill)));
      int items = r.get("items").asInt();
      assertTrue(items >= ackedBeforeKill, "acknowledged " + ackedBeforeKill + " writes but only " + items + " survived");
    } finally {
      writer.destroyForcibly();
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  // --- helpers ---

  private Process startServer(int port, Path data) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
        ServerMain.class.getName(), Integer.toString(port), data.toString())
        .redirectError(folder.resolve("server-" + System.nanoTime() + ".log").toFile()).start();
    BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = in.readLine();
    if (!"ready".equals(line)) {
      fail("server did not start: " + line);
    }
    return p;
  }

  private Process node(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(System.getProperty("loam.node", "node"), "js/server-clients.mjs"));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).directory(NodeDriver.moduleDir().toFile())
        .redirectError(folder.resolve("node-" + System.nanoTime() + ".log").toFile()).start();
  }

  private String runNode(int seconds, String... args) throws Exception {
    Process p = node(args);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(seconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      fail("node server-clients.mjs " + String.join(" ", args) + " failed; stdout: " + out);
    }
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void requireNodeModules() {
    Path dir = NodeDriver.moduleDir();
    if (!Files.isDirectory(dir.resolve("node_modules/@automerge/automerge-repo-network-websocket"))) {
      String msg = "node_modules lacks automerge-repo-network-websocket in " + dir + ": run `npm ci` there";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("CI=true and " + msg);
      }
      abort(msg);
    }
  }
}
