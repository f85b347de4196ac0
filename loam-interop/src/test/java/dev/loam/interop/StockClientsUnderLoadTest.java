package dev.loam.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loam.repo.storage.SqliteStorageAdapter;
import dev.loam.server.LoamServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 10, point 0: stock JS automerge-repo 2.5.6 clients (many {@code Repo}s with the stock
 * {@code WebSocketClientAdapter} in one Node process, js/load-clients.mjs) type concurrently into
 * a few documents through a {@link LoamServer}, which drops every connection twice in the middle
 * of the burst (an abortive TCP close, as a network failure). Every client must converge (same
 * heads as each other and as a client that joins afterwards, every character present) soon after
 * the last edit, and none may crash.
 *
 * <p>The default run is small (about 900 changes); {@code -Dloam.load.long=true} runs the shape of
 * the original report (10 clients, 3 documents, about 7,000 changes). {@code
 * -Dloam.load.compare=true} also runs the same load, without drops, against the JS sync server
 * and the Loam server and prints messages per change for both.
 */
class StockClientsUnderLoadTest {
  private static final boolean LONG = Boolean.getBoolean("loam.load.long");

  @TempDir Path tmp;

  private record Load(int clients, int docs, int changesPerClient, int maxSeconds, int retryMs) {
    int total() {
      return clients * changesPerClient;
    }
  }

  private static Load load() {
    return LONG ? new Load(10, 3, 700, 60, 1000) : new Load(6, 2, 150, 45, 200);
  }

  @Test
  void stockClientsTypingThroughTheLoamServerConvergeAcrossForcedDisconnects() throws Exception {
    Load load = load();
    try (LoamServer server = LoamServer.builder().port(0).host("127.0.0.1")
        .storage(SqliteStorageAdapter.open(tmp.resolve("server.sqlite"))).build().start()) {
      int[] drops = {0};
      JsonNode done = run("ws://127.0.0.1:" + server.port(), load, changes -> {
        // drop every connection at a quarter of the burst, and again at half once all have rejoined
        if (drops[0] < 2 && changes >= (drops[0] + 1) * load.total() / 4 && server.peerCount() == load.clients()) {
          drops[0]++;
          server.dropConnections();
        }
      });
      assertEquals(2, drops[0], "the burst ended before both drops: " + done);
      assertConverged(done);
      // every client was connected at both drops (a stock client may hold a spare socket too)
      assertTrue(server.meterRegistry().get("loam.connections.closed").tag("reason", "dropped").counter().count()
          >= 2.0 * load.clients(), "a drop missed a client");
      System.out.println("Loam server with 2 forced drops: " + figures(done, server.meterRegistry()));
    }
  }

  @Test
  void messagesPerChangeOfTheLoamAndJsServersAtTheSameLoad() throws Exception {
    assumeTrue(Boolean.getBoolean("loam.load.compare"), "run with -Dloam.load.compare=true");
    Load load = load();
    // the figures come first: a busier server leaves its clients less time to type within the burst
    try (JsSyncServer js = JsSyncServer.start(Files.createDirectories(tmp.resolve("js")))) {
      JsonNode done = run(js.url(), load, changes -> { });
      System.out.println("JS sync server: " + figures(done, null));
      assertConverged(done);
    }
    try (LoamServer server = LoamServer.builder().port(0).host("127.0.0.1")
        .storage(SqliteStorageAdapter.open(tmp.resolve("loam.sqlite"))).build().start()) {
      JsonNode done = run("ws://127.0.0.1:" + server.port(), load, changes -> { });
      System.out.println("Loam server: " + figures(done, server.meterRegistry()));
      assertConverged(done);
    }
  }

  private static void assertConverged(JsonNode done) {
    assertEquals(0, done.get("errors").size(), () -> "a client crashed: " + done.get("errors"));
    assertTrue(done.get("converged").asBoolean(), () -> "the clients did not converge: " + done);
    for (JsonNode d : done.get("docs")) {
      assertEquals(d.get("heads"), d.get("serverHeads"), "a fresh client sees what the clients have");
      assertEquals(d.get("typed").asInt(), d.get("length").asInt(), "every character arrived");
    }
  }

  private static String figures(JsonNode done, MeterRegistry registry) {
    double changes = 0;
    for (JsonNode d : done.get("docs")) {
      changes += d.get("typed").asInt();
    }
    JsonNode r = done.get("received");
    String s = String.format("%.0f changes, converged %d ms after the last edit; clients received %.2f messages per change"
            + " (%.2f sync messages without changes), sent %.2f",
        changes, done.get("convergeMs").asLong(), r.get("total").asDouble() / changes,
        r.get("syncEmpty").asDouble() / changes, done.get("sent").get("total").asDouble() / changes);
    if (registry != null) {
      double sent = registry.find("loam.messages.sent").counters().stream().mapToDouble(Counter::count).sum();
      double closed = registry.find("loam.connections.closed").counters().stream().mapToDouble(Counter::count).sum();
      double suppressed = registry.find("loam.messages.suppressed").counters().stream().mapToDouble(Counter::count).sum();
      s += String.format("; server sent %.2f messages per change (%.2f repeats not sent), closed %.0f connections",
          sent / changes, suppressed / changes, closed);
    }
    return s;
  }

  /** Runs js/load-clients.mjs against {@code url}, calling {@code onProgress} with the changes typed so far. */
  private JsonNode run(String url, Load load, IntConsumer onProgress) throws Exception {
    Path dir = NodeDriver.moduleDir();
    if (!Files.isDirectory(dir.resolve("node_modules/@automerge/automerge-repo-network-websocket"))) {
      String msg = "node_modules lacks automerge-repo-network-websocket in " + dir + ": run `npm ci` there";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("CI=true and " + msg);
      }
      abort(msg);
    }
    Path log = Files.createDirectories(dir.resolve("target")).resolve("load-clients-" + System.nanoTime() + ".log");
    List<String> cmd = new ArrayList<>(List.of(System.getProperty("loam.node", "node"), "js/load-clients.mjs", url,
        Integer.toString(load.clients()), Integer.toString(load.docs()), Integer.toString(load.changesPerClient()),
        Integer.toString(load.maxSeconds()), Integer.toString(load.retryMs())));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(log.toFile()).start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = Thread.ofPlatform().daemon().start(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the process ended
      } finally {
        lines.add("{\"event\":\"eof\"}");
      }
    });
    try {
      // connecting (20 s) + the burst + converging (60 s) + the fresh client (20 s + 20 s a document): generous, bounded
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(load.maxSeconds() + 130L + 20L * load.docs());
      while (true) {
        String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
          fail("the load clients did not finish in time; stderr:\n" + tail(log));
        }
        JsonNode event = NodeDriver.JSON.readTree(line);
        switch (event.get("event").asString()) {
          case "progress" -> onProgress.accept(event.get("changes").asInt());
          case "done" -> {
            return event;
          }
          case "eof" -> fail("the load clients exited early; stderr:\n" + tail(log));
          default -> { }
        }
      }
    } finally {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      reader.join(5_000);
    }
  }

  private static String tail(Path log) throws IOException {
    String s = Files.readString(log);
    return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
  }
}
