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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A node script driven by JSON lines: each request {@code {id, cmd, ...}} on stdin gets one JSON
 * line on stdout; the script's first line announces that it is ready. Skips the test locally
 * (fails it in CI) when {@code node_modules} lacks the package the script needs. Calls are
 * serialised, so it may be called from several threads.
 */
final class JsonLinesNode implements AutoCloseable {
  private final String what;
  private final Process process;
  private final OutputStream stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final StringBuffer stderr = new StringBuffer();
  private final JsonNode first;
  private long nextId = 1;

  private JsonLinesNode(String what, Process process) throws InterruptedException {
    this.what = what;
    this.process = process;
    this.stdin = process.getOutputStream();
    Thread.ofPlatform().daemon().start(() -> pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), true));
    Thread.ofPlatform().daemon().start(() -> pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false));
    String line = lines.poll(60, TimeUnit.SECONDS);
    if (line == null) {
      throw new IllegalStateException(what + " did not start; stderr:\n" + stderr);
    }
    this.first = NodeDriver.JSON.readTree(line);
  }

  /** Starts {@code node script args...} in loam-interop, which needs {@code requiredModule} installed. */
  static JsonLinesNode start(String what, String script, String requiredModule, String... args) {
    Path dir = NodeDriver.moduleDir();
    if (!Files.isDirectory(dir.resolve("node_modules").resolve(requiredModule))) {
      String msg = "node_modules lacks " + requiredModule + " in " + dir + ": run `npm ci` there";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("CI=true and " + msg);
      }
      abort(msg);
    }
    List<String> command = new ArrayList<>(List.of(System.getProperty("loam.node", "node"), script));
    command.addAll(List.of(args));
    try {
      return new JsonLinesNode(what, new ProcessBuilder(command).directory(dir.toFile()).start());
    } catch (IOException | InterruptedException e) {
      abort("cannot start node: " + e);
      throw new AssertionError();
    }
  }

  /** The script's first line. */
  JsonNode greeting() {
    return first;
  }

  String stderr() {
    return stderr.toString();
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
        throw new IllegalStateException(what + ": no answer to " + cmd + "; stderr:\n" + stderr);
      }
      JsonNode resp = NodeDriver.JSON.readTree(line);
      if (resp.has("error")) {
        throw new IllegalStateException(what + " failed " + cmd + ": " + resp.get("error").asString() + "\nstderr:\n" + stderr);
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

  /** Asks the script to quit, then ends the process. */
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
