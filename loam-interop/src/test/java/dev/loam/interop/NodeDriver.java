package dev.loam.interop;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Talks to one long-lived {@code node js/driver.mjs} process: one JSON request per line on its
 * stdin, one JSON response per line on its stdout. Starting node once per test class, not per
 * seed, keeps the suite inside the CI budget.
 *
 * <p>When {@code node_modules} is missing the tests are skipped locally (run {@code npm ci} in
 * {@code loam-interop}) but fail in CI ({@code CI=true}), where a skip would hide a broken setup.
 *
 * <p>Not thread-safe: one test thread at a time.
 */
final class NodeDriver implements AutoCloseable {
  static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final long TIMEOUT_SECONDS = 120;
  private static final Object EOF = new Object();

  private final Process process;
  private final OutputStream stdin;
  private final BlockingQueue<Object> lines = new LinkedBlockingQueue<>();
  private final StringBuilder stderr = new StringBuilder();
  private long nextId = 1;

  private NodeDriver(Process process) {
    this.process = process;
    this.stdin = process.getOutputStream();
    Thread out = new Thread(() -> pump(process.getInputStream()), "node-driver-stdout");
    out.setDaemon(true);
    out.start();
    Thread err = new Thread(this::drainStderr, "node-driver-stderr");
    err.setDaemon(true);
    err.start();
  }

  /** The {@code loam-interop} module directory, whether tests run from it or from the repo root. */
  static Path moduleDir() {
    Path here = Path.of("").toAbsolutePath();
    if (Files.exists(here.resolve("js/driver.mjs"))) {
      return here;
    }
    Path sub = here.resolve("loam-interop");
    if (Files.exists(sub.resolve("js/driver.mjs"))) {
      return sub;
    }
    throw new IllegalStateException("cannot find loam-interop/js/driver.mjs from " + here);
  }

  /** Starts the driver, or skips (locally) / fails (in CI) when node or node_modules is missing. */
  static NodeDriver start() {
    Path dir = moduleDir();
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    if (!Files.isDirectory(dir.resolve("node_modules/@automerge/automerge"))) {
      String msg = "node_modules is missing in " + dir + ": run `npm ci` there to enable the interop tests";
      if (ci) {
        fail("CI=true and " + msg);
      }
      abort(msg);
    }
    String node = System.getProperty("loam.node", "node");
    ProcessBuilder pb = new ProcessBuilder(node, "js/driver.mjs").directory(dir.toFile());
    try {
      NodeDriver d = new NodeDriver(pb.start());
      d.call("ping", JSON.createObjectNode());
      return d;
    } catch (IOException e) {
      String msg = "cannot start `" + node + " js/driver.mjs` in " + dir + ": " + e.getMessage();
      if (ci) {
        fail(msg, e);
      }
      abort(msg);
      throw new AssertionError(); // unreachable
    }
  }

  private void pump(InputStream in) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException ignored) {
      // the process went away; EOF below tells the caller
    }
    lines.add(EOF);
  }

  private void drainStderr() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (stderr) {
          stderr.append(line).append('\n');
          if (stderr.length() > 20_000) {
            stderr.delete(0, stderr.length() - 10_000);
          }
        }
      }
    } catch (IOException ignored) {
      // process ended
    }
  }

  String stderrTail() {
    synchronized (stderr) {
      return stderr.toString();
    }
  }

  /** Sends {@code cmd} with {@code args} and returns the result, or throws with node's error and stderr. */
  JsonNode call(String cmd, ObjectNode args) {
    long id = nextId++;
    ObjectNode req = args.deepCopy();
    req.put("id", id);
    req.put("cmd", cmd);
    try {
      stdin.write((JSON.writeValueAsString(req) + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      Object line = lines.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (line == null) {
        throw new IllegalStateException("node driver did not answer `" + cmd + "` within " + TIMEOUT_SECONDS + " s; stderr:\n" + stderrTail());
      }
      if (line == EOF) {
        throw new IllegalStateException("node driver exited while answering `" + cmd + "`; stderr:\n" + stderrTail());
      }
      JsonNode resp = JSON.readTree((String) line);
      if (resp.get("id").asLong() != id) {
        throw new IllegalStateException("node driver answered request " + resp.get("id") + ", expected " + id);
      }
      if (!resp.get("ok").asBoolean()) {
        throw new IllegalStateException("node driver failed `" + cmd + "`: " + resp.get("error").asString()
            + "\n" + resp.path("stack").asString("") + "\nstderr:\n" + stderrTail());
      }
      return resp.get("result");
    } catch (IOException e) {
      throw new IllegalStateException("cannot talk to the node driver: " + e.getMessage() + "; stderr:\n" + stderrTail(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for node", e);
    }
  }

  JsonNode call(String cmd, String key, Object value) {
    ObjectNode args = JSON.createObjectNode();
    args.set(key, JSON.valueToTree(value));
    return call(cmd, args);
  }

  @Override
  public void close() {
    try {
      stdin.close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
    }
  }
}
