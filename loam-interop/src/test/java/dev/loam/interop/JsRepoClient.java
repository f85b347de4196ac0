package dev.loam.interop;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One {@code node js/repo-ws-client.mjs} process: a stock JS automerge-repo {@code Repo} (in
 * memory) with the stock {@code WebSocketClientAdapter}, connected to the server at a URL, driven
 * by JSON lines. Skips locally (fails in CI) without node_modules. Calls are serialised, so it may
 * be called from several threads.
 */
final class JsRepoClient implements AutoCloseable {
  private final Process process;
  private final OutputStream stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final StringBuffer stderr = new StringBuffer();
  private long nextId = 1;

  private JsRepoClient(Process process) throws InterruptedException {
    this.process = process;
    this.stdin = process.getOutputStream();
    Thread.ofPlatform().daemon().start(() -> pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), true));
    Thread.ofPlatform().daemon().start(() -> pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false));
    String first = lines.poll(60, TimeUnit.SECONDS);
    if (first == null) {
      throw new IllegalStateException("the JS client did not start; stderr:\n" + stderr);
    }
    if (!NodeDriver.JSON.readTree(first).path("ready").asBoolean(false)) {
      throw new IllegalStateException("the JS client did not connect: " + first + "; stderr:\n" + stderr);
    }
  }

  static JsRepoClient start(String wsUrl) {
    Path dir = NodeDriver.moduleDir();
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    if (!Files.isDirectory(dir.resolve("node_modules/@automerge/automerge-repo-network-websocket"))) {
      String msg = "node_modules lacks the websocket adapter in " + dir + ": run `npm ci` there";
      if (ci) {
        fail("CI=true and " + msg);
      }
      abort(msg);
    }
    ProcessBuilder pb = new ProcessBuilder(System.getProperty("loam.node", "node"), "js/repo-ws-client.mjs", wsUrl)
        .directory(dir.toFile());
    try {
      return new JsRepoClient(pb.start());
    } catch (IOException | InterruptedException e) {
      abort("cannot start node: " + e);
      throw new AssertionError();
    }
  }

  synchronized JsonNode call(String cmd, String... keyValues) {
    ObjectNode req = NodeDriver.JSON.createObjectNode();
    req.put("id", nextId++);
    req.put("cmd", cmd);
    for (int i = 0; i < keyValues.length; i += 2) {
      req.put(keyValues[i], keyValues[i + 1]);
    }
    try {
      stdin.write((NodeDriver.JSON.writeValueAsString(req) + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      String line = lines.poll(60, TimeUnit.SECONDS);
      if (line == null) {
        throw new IllegalStateException("no answer to " + cmd + "; stderr:\n" + stderr);
      }
      JsonNode resp = NodeDriver.JSON.readTree(line);
      if (resp.has("error")) {
        throw new IllegalStateException("JS failed " + cmd + ": " + resp.get("error").asString() + "\nstderr:\n" + stderr);
      }
      return resp;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void pump(BufferedReader r, boolean out) {
    try (r) {
      String line;
      while ((line = r.readLine()) != null) {
        if (out) {
          lines.add(line);
        } else {
          stderr.append(line).append('\n');
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  @Override
  public void close() {
    try {
      call("quit");
    } catch (RuntimeException ignored) {
      // already gone
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
    }
  }
}
