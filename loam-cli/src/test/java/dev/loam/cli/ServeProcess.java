package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.fail;

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
 * A real {@code loam serve --port 0} in its own JVM, from the jars and classes this test runs on,
 * so that a test can kill it the way SIGKILL does ({@link Process#destroyForcibly}: no shutdown
 * hook, no flush). Its stderr (the log) goes to a file. Used by one test thread.
 */
final class ServeProcess implements AutoCloseable {
  private static final Pattern STARTED = Pattern.compile("^loam serve: ws://127\\.0\\.0\\.1:(\\d+) ");

  private final Process process;
  private final int port;

  private ServeProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts {@code loam serve --port 0 --data data} (SQLite unless {@code options} say otherwise), logging to {@code log}; returns once it listens. */
  static ServeProcess start(Path data, Path log, String... options) throws IOException {
    List<String> cmd = loamCommand();
    cmd.addAll(List.of("serve", "--port", "0", "--host", "127.0.0.1", "--data", data.toString()));
    cmd.addAll(List.of(options));
    Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    try { // the server's first line, or its end; with a deadline, in case it hangs silently
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
    return new ServeProcess(p, Integer.parseInt(m.group(1)));
  }

  /** {@code java … dev.loam.cli.Main}: the command line of a {@code loam} in its own JVM, with this test's classes and jars. */
  static List<String> loamCommand() {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(javaBin, "--enable-native-access=ALL-UNNAMED,org.xerial.sqlitejdbc"));
    // everything on the class path (as the loam script runs it): the test JVM's module path and class path
    String modulePath = System.getProperty("jdk.module.path", "");
    String classPath = System.getProperty("java.class.path", "");
    cmd.addAll(List.of("-cp", modulePath.isEmpty() ? classPath : modulePath + File.pathSeparator + classPath,
        Main.class.getName()));
    return cmd;
  }

  String url() {
    return "ws://127.0.0.1:" + port;
  }

  /** Kills the server as SIGKILL does: nothing is closed or flushed; returns once the process is gone. */
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
