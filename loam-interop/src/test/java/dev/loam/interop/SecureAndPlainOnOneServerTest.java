package dev.loam.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.loam.cli.Main;
import dev.loam.repo.storage.SqliteStorageAdapter;
import dev.loam.secure.SecureUrl;
import dev.loam.server.LoamServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 11: a Loam server that holds a secure document still serves stock JS automerge-repo 2.5.6
 * clients ({@code Repo} + {@code WebSocketClientAdapter}, js/server-clients.mjs) with plain
 * documents on the same port, unchanged; the plain protocol asked for the secure document's id
 * answers that it is unavailable, and gives nothing of it.
 */
class SecureAndPlainOnOneServerTest {
  @TempDir Path folder;

  @Test
  void stockJsClientsSyncPlainDocumentsBesideASecureOne() throws Exception {
    requireNodeModules();
    Path data = folder.resolve("server");
    Files.createDirectories(data);
    String secret = "canary-interop-" + Long.toHexString(System.nanoTime()) + "-secret";
    try (LoamServer server = LoamServer.builder().port(0).host("127.0.0.1")
        .storage(SqliteStorageAdapter.open(data.resolve("loam.db"))).build().start()) {
      String ws = "ws://127.0.0.1:" + server.port();
      Path alice = folder.resolve("alice.id");
      Path aliceData = folder.resolve("alice");
      loam("id", "new", alice.toString());
      String url = loam("repo", "new", "--secure", "--id", alice.toString(), "--data", aliceData.toString()).strip();
      loam("repo", "edit", url, "--id", alice.toString(), "--data", aliceData.toString(), "--put", "/secret", "\"" + secret + "\"");
      loam("sync", url, "--id", alice.toString(), "--data", aliceData.toString(), "--server", ws);

      // two stock JS repos edit a plain document through the same server and converge
      JsonNode r = NodeDriver.JSON.readTree(runNode(120, "converge", ws, "20"));
      assertEquals(r.get("a").get("heads"), r.get("b").get("heads"), "same heads");
      assertEquals(r.get("a").get("json"), r.get("b").get("json"), "same JSON");
      assertEquals(20, r.get("a").get("json").get("a").size());

      // a stock client asking for the secure document by its id hears that it is unavailable
      String asPlain = SecureUrl.parse(url).documentId().toUrl().toString();
      String found = runNode(60, "find", ws, asPlain);
      assertEquals(NodeDriver.JSON.readTree("{\"unavailable\":true}"), NodeDriver.JSON.readTree(found), found);
      assertFalse(found.contains(secret));

      // and the secure document still syncs, its secret still nowhere in the server's files
      String again = loam("sync", url, "--id", alice.toString(), "--data", aliceData.toString(), "--server", ws);
      assertTrue(again.startsWith("synced " + url), again);
      assertEquals("{\"secret\":\"" + secret + "\"}\n",
          loam("repo", "cat", url, "--id", alice.toString(), "--data", aliceData.toString()));
    }
    assertEquals(List.of(), filesContaining(data, secret), "the server stored the secret in clear");
  }

  /** Runs {@code loam args...} in-process; returns stdout, failing the test on a non-zero exit. */
  private static String loam(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    if (code != 0) {
      fail("loam " + String.join(" ", args) + " exited " + code + ": " + err);
    }
    return out.toString();
  }

  private static List<Path> filesContaining(Path dir, String text) {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    List<Path> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)
            .contains(new String(needle, StandardCharsets.ISO_8859_1))) {
          found.add(f);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  private String runNode(int seconds, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(System.getProperty("loam.node", "node"), "js/server-clients.mjs"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(NodeDriver.moduleDir().toFile())
        .redirectError(folder.resolve("node-" + System.nanoTime() + ".log").toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(seconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      fail("node server-clients.mjs " + String.join(" ", args) + " failed; stdout: " + out);
    }
    return out;
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
