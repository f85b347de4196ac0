package dev.loam.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loam.repo.storage.SqliteStorageAdapter;
import dev.loam.server.LoamServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The README's first example ("Ten lines to a synced app") compiles as it stands and, run as its
 * own program against a {@link LoamServer} on loopback, syncs with a stock JS automerge-repo client:
 * the JS client finds the card the program created, edits its title and adds a vote, and the
 * program prints the card with both; run again with the card's URL, the program finds the card in
 * its SQLite file and its vote reaches the JS client. The program is the README's text, unchanged:
 * only the server's address comes in through the {@code server} system property it reads.
 */
class ReadmeTenLinesTest {
  private static final long DEADLINE_SECONDS = 60;

  @TempDir Path tmp;

  @Test
  void theReadmesTenLineProgramSyncsWithAJsClientAndPrintsItsChanges() throws Exception {
    Path classes = compile(readmeProgram());
    Path app = Files.createDirectories(tmp.resolve("app"));
    try (LoamServer server = LoamServer.builder().port(0).host("127.0.0.1")
        .storage(SqliteStorageAdapter.open(tmp.resolve("server.sqlite"))).build().start()) {
      String ws = "ws://127.0.0.1:" + server.port();
      String url;
      try (Program first = Program.start(classes, app, ws)) {
        Matcher share = Pattern.compile("share (automerge:\\w+) \\(Enter quits\\)").matcher(first.awaitLine(l -> l.startsWith("share ")));
        assertTrue(share.matches(), "the program prints the card's URL");
        url = share.group(1);
        String id = url.substring("automerge:".length());
        try (JsRepoClient js = JsRepoClient.start(ws)) {
          RepoDocs.await("JS finds the card through the server", () -> {
            try {
              js.call("find", "documentId", id);
              return true;
            } catch (IllegalStateException notThereYet) {
              return false;
            }
          });
          // the server may have relayed the card before the program's vote: wait for the vote
          RepoDocs.await("JS has the program's vote", () ->
              js.call("state", "documentId", id).get("json").path("votes").asInt() == 1);
          assertEquals("{\"title\":\"Lunch at noon?\",\"votes\":1}", js.call("state", "documentId", id).get("json").toString());
          js.call("splice", "documentId", id, "key", "title", "index", "0", "del", "0", "text", "JS says: ");
          js.call("increment", "documentId", id, "key", "votes", "by", "1");
          first.awaitLine(l -> l.equals("collaborator: Vote[title=JS says: Lunch at noon?, votes=Counter[value=2]]"));
          for (String line : first.lines()) {
            if (line.startsWith("collaborator: ")) {
              assertTrue(List.of("collaborator: Vote[title=JS says: Lunch at noon?, votes=Counter[value=1]]",
                  "collaborator: Vote[title=JS says: Lunch at noon?, votes=Counter[value=2]]").contains(line),
                  "only the JS edits are printed, in order: " + first.lines());
            }
          }
          assertEquals(0, first.quit(), "the program ends when Enter is pressed:\n" + first.lines() + "\n" + first.stderr());

          // again, with the URL: the card comes from the program's SQLite file, and its vote reaches JS
          try (Program second = Program.start(classes, app, ws, url)) {
            assertEquals("share " + url + " (Enter quits)", second.awaitLine(l -> l.startsWith("share ")));
            RepoDocs.await("the second vote reaches JS", () ->
                js.call("state", "documentId", id).get("json").path("votes").asInt() == 3);
            JsonNode json = js.call("state", "documentId", id).get("json");
            assertEquals("{\"title\":\"JS says: Lunch at noon?\",\"votes\":3}", json.toString());
            assertEquals(0, second.quit(), second.stderr());
          }
        }
      }
      assertTrue(Files.isRegularFile(app.resolve("cards.sqlite")), "the program keeps its repo in cards.sqlite");
    }
  }

  private static String readmeProgram() throws IOException {
    String md = Files.readString(Path.of(System.getProperty("user.dir")).resolve("../README.md").normalize());
    Matcher m = Pattern.compile("<!-- ten-lines:begin -->\\s*```java\\n(.*?)```\\s*<!-- ten-lines:end -->", Pattern.DOTALL).matcher(md);
    assertTrue(m.find(), "README has a java block between ten-lines:begin and ten-lines:end");
    String source = m.group(1);
    long real = source.lines().map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("import ") && !l.equals("}") && !l.startsWith("//")).count();
    assertTrue(real <= 11, "about ten lines of real code (class and main declarations included), not " + real);
    return source;
  }

  private Path compile(String source) throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Path out = Files.createDirectories(tmp.resolve("classes"));
    Files.writeString(src.resolve("Card.java"), source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    try (var fm = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      boolean ok = javac.getTask(diagnostics, fm, null, List.of("-classpath", System.getProperty("java.class.path"), "-d", out.toString(), "-proc:none"),
          null, fm.getJavaFileObjects(src.resolve("Card.java"))).call();
      assertTrue(ok, "the README's program compiles:\n" + diagnostics);
    }
    return out;
  }

  /** The README's program, run as its own JVM in its own folder, its output collected line by line. */
  private static final class Program implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> incoming = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final StringBuffer stderr = new StringBuffer();

    private Program(Process process) {
      this.process = process;
      Thread.ofPlatform().daemon().start(() -> pump(process.inputReader(StandardCharsets.UTF_8), true));
      Thread.ofPlatform().daemon().start(() -> pump(process.errorReader(StandardCharsets.UTF_8), false));
    }

    static Program start(Path classes, Path dir, String server, String... args) throws IOException {
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "--enable-native-access=ALL-UNNAMED", "-Dserver=" + server,
          "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"), "Card"));
      command.addAll(List.of(args));
      return new Program(new ProcessBuilder(command).directory(dir.toFile()).start());
    }

    /** The first line (from now on) that {@code accepts}, waiting up to a minute for it. */
    String awaitLine(Predicate<String> accepts) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
      while (true) {
        String line = incoming.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
          fail("the program did not print the expected line; it printed " + lines() + "\nstderr:\n" + stderr);
        }
        synchronized (seen) {
          seen.add(line);
        }
        if (accepts.test(line)) {
          return line;
        }
      }
    }

    List<String> lines() {
      synchronized (seen) {
        return List.copyOf(seen);
      }
    }

    String stderr() {
      return stderr.toString();
    }

    /** Presses Enter and waits for the program to end; its exit status. */
    int quit() throws IOException, InterruptedException {
      process.getOutputStream().write('\n');
      process.getOutputStream().flush();
      if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
        fail("the program did not end after Enter; stderr:\n" + stderr);
      }
      return process.exitValue();
    }

    private void pump(BufferedReader r, boolean out) {
      try (r) {
        String line;
        while ((line = r.readLine()) != null) {
          if (out) {
            incoming.add(line);
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
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
