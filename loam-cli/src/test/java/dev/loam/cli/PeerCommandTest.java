package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.Value;
import dev.loam.repo.DocChange;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.net.WebSocketClientAdapter;
import dev.loam.repo.storage.SqliteStorageAdapter;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code loam peer} processes on two data folders, one dialling the other on loopback (no
 * discovery: multicast is not for CI), sync a document: what folder A held reaches folder B, and an
 * edit made through B reaches A; both stop cleanly on SIGTERM, saving what they hold. The output
 * lines are checked against the documented format.
 */
class PeerCommandTest {
  private static final Pattern STARTED = Pattern.compile(
      "^loam peer: ws://127\\.0\\.0\\.1:(\\d+) peer (\\S+) storage (\\S+) documents (\\d+) discovery off$");
  private static final long DEADLINE_S = 60;

  @TempDir Path tmp;

  @Test
  void twoPeersOnTwoFoldersSyncADocumentBothWaysAndStopOnSigterm() throws Exception {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    DocumentId id;
    try (Repo seed = Repo.builder().storage(SqliteStorageAdapter.open(dbOf(a))).build()) {
      DocHandle h = seed.create();
      append(h, "from folder a");
      id = h.documentId();
    }
    try (PeerProcess pa = PeerProcess.start(tmp.resolve("a.log"), "--data", a.toString(), "--port", "0",
            "--host", "127.0.0.1", "--no-discovery", "--quiet")) {
      assertEquals("1", pa.started.group(4), "a opens its one document");
      try (PeerProcess pb = PeerProcess.start(tmp.resolve("b.log"), "--data", b.toString(), "--port", "0",
              "--host", "127.0.0.1", "--no-discovery", "--quiet", "--connect", "ws://127.0.0.1:" + pa.port())) {
        assertEquals("0", pb.started.group(4));
        assertEquals("connected " + pa.peerId() + " outgoing", pb.nextLine());
        assertEquals("connected " + pb.peerId() + " incoming", pa.nextLine());
        // an app connected to b edits the document: b has it (or fetches it from a) and passes the
        // edit on to a, where an app connected to a sees it
        try (Repo appB = Repo.builder().network(WebSocketClientAdapter.of("ws://127.0.0.1:" + pb.port())).build();
            Repo appA = Repo.builder().network(WebSocketClientAdapter.of("ws://127.0.0.1:" + pa.port())).build()) {
          DocHandle atA = appA.find(id).whenReady().get(DEADLINE_S, TimeUnit.SECONDS);
          DocHandle h = appB.find(id).whenReady().get(DEADLINE_S, TimeUnit.SECONDS);
          append(h, "through b");
          CompletableFuture<Void> reachedA = new CompletableFuture<>();
          atA.addListener(new DocHandle.Listener() {
            @Override public void changed(DocChange change) {
              if (atA.heads().equals(h.heads())) {
                reachedA.complete(null);
              }
            }
          });
          if (atA.heads().equals(h.heads())) {
            reachedA.complete(null);
          }
          reachedA.get(DEADLINE_S, TimeUnit.SECONDS);
        }
        pb.stop();
      }
      // each saved its copy when it stopped
      pa.stop();
    }
    String ja = jsonIn(a, id);
    assertEquals("{\"items\":[\"from folder a\",\"through b\"]}", ja);
    assertEquals(ja, jsonIn(b, id));
  }

  private static Path dbOf(Path folder) throws IOException {
    Files.createDirectories(folder);
    return folder.resolve(LocalRepo.DB_FILE);
  }

  private static String jsonIn(Path folder, DocumentId id) throws Exception {
    try (Repo r = Repo.builder().storage(SqliteStorageAdapter.open(dbOf(folder))).build()) {
      return r.find(id).whenReady().get(DEADLINE_S, TimeUnit.SECONDS).toJson();
    }
  }

  private static void append(DocHandle h, String item) {
    h.change(tx -> {
      ObjId items = tx.get(ObjId.ROOT, "items").map(v -> ((Value.Obj) v).id())
          .orElseGet(() -> tx.putObject(ObjId.ROOT, "items", ObjType.LIST));
      tx.insert(items, tx.length(items), ScalarValue.of(item));
    });
  }

  /** One {@code loam peer} JVM from this test's class path; stdout read line by line, stderr to a file. */
  private static final class PeerProcess implements AutoCloseable {
    final Process process;
    final Matcher started;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final Path log;

    private PeerProcess(Process process, Path log) throws Exception {
      this.process = process;
      this.log = log;
      BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      Thread.ofVirtual().start(() -> {
        try {
          for (String line; (line = in.readLine()) != null; ) {
            lines.add(line);
          }
        } catch (IOException ended) {
          // the process is gone
        }
      });
      String first = nextLine();
      started = STARTED.matcher(first);
      if (!started.matches()) {
        process.destroyForcibly();
        fail("loam peer did not start: " + first + "; its log: " + Files.readString(log));
      }
    }

    static PeerProcess start(Path log, String... args) throws Exception {
      String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> cmd = new ArrayList<>(List.of(javaBin, "--enable-native-access=ALL-UNNAMED,org.xerial.sqlitejdbc"));
      String modulePath = System.getProperty("jdk.module.path", "");
      String classPath = System.getProperty("java.class.path", "");
      cmd.addAll(List.of("-cp", modulePath.isEmpty() ? classPath : modulePath + File.pathSeparator + classPath,
          Main.class.getName(), "peer"));
      cmd.addAll(List.of(args));
      return new PeerProcess(new ProcessBuilder(cmd).redirectError(log.toFile()).start(), log);
    }

    int port() {
      return Integer.parseInt(started.group(1));
    }

    String peerId() {
      return started.group(2);
    }

    String nextLine() throws Exception {
      String line = lines.poll(DEADLINE_S, TimeUnit.SECONDS);
      if (line == null) {
        fail("no line from loam peer within " + DEADLINE_S + " s; its log: " + Files.readString(log));
      }
      return line;
    }

    /** SIGTERM, then waits for a clean exit (the JVM's code for SIGTERM after its shutdown hooks ran). */
    void stop() throws Exception {
      process.destroy();
      assertTrue(process.waitFor(DEADLINE_S, TimeUnit.SECONDS), "loam peer stops within " + DEADLINE_S + " s of SIGTERM");
      assertEquals(143, process.exitValue(), "exit code after SIGTERM; log: " + Files.readString(log));
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }
}
