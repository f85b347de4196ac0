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
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One long-lived {@code node js/files.mjs} process (the file-format driver), spoken to in JSON
 * lines like {@link NodeDriver}; skipped locally and failed in CI when node_modules is missing.
 * Not thread-safe.
 */
final class FilesNode implements AutoCloseable {
  private final Process process;
  private final OutputStream stdin;
  private final BufferedReader stdout;
  private final Path stderrFile;
  private long nextId = 1;

  private FilesNode(Process process, Path stderrFile) {
    this.process = process;
    this.stdin = process.getOutputStream();
    this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.stderrFile = stderrFile;
  }

  static FilesNode start() {
    Path dir = NodeDriver.moduleDir();
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    if (!Files.isDirectory(dir.resolve("node_modules/@automerge/automerge"))) {
      String msg = "node_modules is missing in " + dir + ": run `npm ci` there to enable the interop tests";
      if (ci) {
        fail("CI=true and " + msg);
      }
      abort(msg);
    }
    try {
      Path err = Files.createTempFile("loam-files-node", ".log");
      Process p = new ProcessBuilder(System.getProperty("loam.node", "node"), "js/files.mjs")
          .directory(dir.toFile()).redirectError(err.toFile()).start();
      FilesNode n = new FilesNode(p, err);
      n.call("ping", NodeDriver.JSON.createObjectNode());
      return n;
    } catch (IOException e) {
      if (ci) {
        fail("cannot start node: " + e.getMessage(), e);
      }
      abort("cannot start node: " + e.getMessage());
      throw new AssertionError();
    }
  }

  /** Sends {@code cmd} and returns its result, or throws with node's error. */
  JsonNode call(String cmd, ObjectNode args) {
    long id = nextId++;
    ObjectNode req = args.deepCopy();
    req.put("id", id);
    req.put("cmd", cmd);
    try {
      stdin.write((NodeDriver.JSON.writeValueAsString(req) + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      String line = stdout.readLine();
      if (line == null) {
        throw new IllegalStateException("node exited answering `" + cmd + "`: " + stderr());
      }
      JsonNode resp = NodeDriver.JSON.readTree(line);
      if (resp.get("id").asLong() != id) {
        throw new IllegalStateException("node answered request " + resp.get("id") + ", expected " + id);
      }
      if (!resp.get("ok").asBoolean()) {
        throw new IllegalStateException("node failed `" + cmd + "`: " + resp.get("error").asString());
      }
      return resp.get("result");
    } catch (IOException e) {
      throw new IllegalStateException("cannot talk to node: " + e.getMessage() + "; " + stderr(), e);
    }
  }

  private String stderr() {
    try {
      String s = Files.readString(stderrFile);
      return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    } catch (IOException e) {
      return "(no stderr)";
    }
  }

  @Override
  public void close() {
    try {
      stdin.close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      Files.deleteIfExists(stderrFile);
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
    }
  }
}
