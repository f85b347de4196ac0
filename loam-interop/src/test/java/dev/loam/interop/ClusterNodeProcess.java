package dev.loam.interop;

import static org.junit.jupiter.api.Assertions.fail;

import dev.loam.cli.Main;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One cluster node: {@code loam serve --storage postgres --postgres-url URL --port 0} in its own
 * JVM, from the class path this test runs on, so that a test can kill it as SIGKILL does
 * ({@link Process#destroyForcibly}). Its log goes to a file. Used by one test thread.
 */
final class ClusterNodeProcess implements AutoCloseable {
  private static final Pattern STARTED = Pattern.compile("^loam serve: ws://127\\.0\\.0\\.1:(\\d+) ");

  private final Process process;
  private final int port;

  private ClusterNodeProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts a node on the database at {@code jdbcUrl}; returns once it listens. */
  static ClusterNodeProcess start(String jdbcUrl, Path log) throws IOException {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(javaBin, "-Xmx256m", "-XX:TieredStopAtLevel=1"));
    String modulePath = System.getProperty("jdk.module.path", "");
    String classPath = System.getProperty("java.class.path", "");
    cmd.addAll(List.of("-cp", modulePath.isEmpty() ? classPath : modulePath + File.pathSeparator + classPath,
        Main.class.getName(), "serve", "--port", "0", "--host", "127.0.0.1", "--storage", "postgres",
        "--postgres-url", jdbcUrl));
    Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    try {
      line = CompletableFuture.supplyAsync(() -> {
        try {
          return in.readLine();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).get(60, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException | InterruptedException e) {
      p.destroyForcibly();
      throw new AssertionError("loam serve did not start within 60 s; its log: " + Files.readString(log), e);
    }
    Matcher m = STARTED.matcher(line == null ? "" : line);
    if (!m.find()) {
      p.destroyForcibly();
      fail("loam serve did not start: " + line + "; its log: " + Files.readString(log));
    }
    return new ClusterNodeProcess(p, Integer.parseInt(m.group(1)));
  }

  String url() {
    return "ws://127.0.0.1:" + port;
  }

  /** Kills the node as SIGKILL does: nothing is closed or flushed; returns once the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      fail("loam serve did not die within 30 s of SIGKILL");
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
