package dev.loam.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loam Notes in a real browser: runs {@code loam-app/e2e/notes.e2e.mjs}, which drives headless
 * Chromium (the machine's {@code /usr/bin/chromium} through playwright-core) against a real
 * {@code ./loam serve} and the {@code ./loam} command line, and passes when every one of its checks
 * does: live typing between two windows, presence, bold, a JVM edit into the browser and a browser
 * edit into {@code loam repo cat}, both windows offline then merged, a reload with the server
 * stopped, history, and another origin's page refused.
 *
 * <p>Its screenshots go to {@code target/screenshots}, or to the folder named by
 * {@code -Dloam.screenshots} ({@code -Dloam.screenshots=../docs/img} refreshes the README's).
 *
 * <p>Needs the built jars ({@code ./build}; {@code ./test} packages {@code loam-cli} and
 * {@code loam-app} before this module, and the latter's build installs its npm packages) and
 * Chromium ({@code apt-get install chromium}; another binary with {@code -Dloam.chromium=PATH}).
 * Outside CI a missing one skips the test with a message saying what to install; with
 * {@code CI=true} it fails.
 */
class LoamNotesBrowserTest {
  private static final long TIMEOUT_MINUTES = 5;

  @TempDir Path work;

  @Test
  void everyCheckOfTheBrowserSuitePasses() throws IOException, InterruptedException {
    Path root = NodeDriver.moduleDir().getParent();
    Path app = root.resolve("loam-app");
    Path chromium = Path.of(System.getProperty("loam.chromium", "/usr/bin/chromium"));
    if (!Files.isExecutable(chromium)) {
      skip("Chromium is not installed at " + chromium + ": `apt-get install chromium` (or -Dloam.chromium=PATH)"
          + " enables the browser tests of Loam Notes");
    }
    if (!Files.isDirectory(app.resolve("node_modules/playwright-core"))) {
      skip("loam-app/node_modules is missing (the app was built with -Dloam.app.skip=true?): ./build installs it");
    }
    if (!Files.isDirectory(root.resolve("loam-cli/target/lib"))) {
      skip("the loam jars are not built: run ./build (or ./test) to enable the browser tests");
    }
    Path shots = root.resolve("loam-interop").resolve(System.getProperty("loam.screenshots", "target/screenshots"));
    List<String> command = List.of(System.getProperty("loam.node", "node"), "e2e/notes.e2e.mjs",
        "--loam", root.resolve("loam").toString(), "--work", work.toString(),
        "--shots", shots.normalize().toString(), "--chromium", chromium.toString());
    Process p = new ProcessBuilder(command).directory(app.toFile()).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    Thread reader = Thread.ofPlatform().daemon().name("notes-e2e-output").start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          System.out.println(line);
          synchronized (lines) {
            lines.add(line);
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
    });
    if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      fail("the browser suite did not finish within " + TIMEOUT_MINUTES + " minutes:\n" + output(lines));
    }
    reader.join(TimeUnit.SECONDS.toMillis(30));
    String out = output(lines);
    assertEquals(0, p.exitValue(), "the browser suite failed:\n" + out);
    long planned = out.lines().filter(l -> l.matches("1\\.\\.\\d+")).findFirst()
        .map(l -> Long.parseLong(l.substring(3))).orElseThrow(() -> new AssertionError("no plan line (1..N):\n" + out));
    long passed = out.lines().filter(l -> l.startsWith("ok - ")).count();
    assertTrue(planned >= 12, "the suite plans fewer checks than it has:\n" + out);
    assertEquals(planned, passed, "expected every planned check to pass:\n" + out);
  }

  private static String output(List<String> lines) {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  private static void skip(String msg) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("CI=true and " + msg);
    }
    abort(msg);
  }
}
