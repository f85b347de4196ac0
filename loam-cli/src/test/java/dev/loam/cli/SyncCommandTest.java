package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.server.LoamServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncCommandTest {
  @TempDir Path dir;
  LoamServer server;
  String ws;

  @BeforeEach
  void startServer() throws Exception {
    server = LoamServer.builder().host("127.0.0.1").port(0).storage(new InMemoryStorageAdapter()).build().start();
    ws = "ws://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void anEditSyncedFromOneFolderArrivesInAnother() throws Exception {
    Path file = dir.resolve("x.automerge");
    Cli.run("doc", "import", Cli.write(dir.resolve("in.json"), "{\"title\":\"hello\"}"), file).ok();
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    String url = Cli.run("repo", "new", "--data", a, "--from", file).ok().strip();

    String out = Cli.run("sync", url, "--data", a, "--server", ws).ok();
    assertTrue(out.startsWith("synced " + url + " with " + ws + " (heads "), out);
    Cli.run("sync", url, "--data", b, "--server", ws).ok();
    assertEquals("{\"title\":\"hello\"}\n", Cli.run("repo", "cat", url, "--data", b).ok());

    // an edit made in b travels back to a
    Path edited = dir.resolve("y.automerge");
    Cli.run("doc", "import", Cli.write(dir.resolve("in2.json"), "{\"from\":\"b\"}"), edited).ok();
    String other = Cli.run("repo", "new", "--data", b, "--from", edited).ok().strip();
    Cli.run("sync", other, "--data", b, "--server", ws).ok();
    Cli.run("sync", other, "--data", a, "--server", ws).ok();
    assertEquals("{\"from\":\"b\"}\n", Cli.run("repo", "cat", other, "--data", a).ok());
    assertEquals(2, Cli.run("repo", "ls", "--data", a).ok().lines().count());
  }

  @Test
  void aDocumentNeitherSideHasFailsWithAClearMessage() {
    String url = dev.loam.repo.id.DocumentId.random().toUrl().toString();
    String err = Cli.run("sync", url, "--data", dir.resolve("a"), "--server", ws, "--timeout", "20").failed();
    assertTrue(err.contains("nor the server"), err);
  }

  @Test
  void anUnreachableServerFailsAfterTheTimeout() {
    String url = dev.loam.repo.id.DocumentId.random().toUrl().toString();
    String err = Cli.run("sync", url, "--data", dir.resolve("a"), "--server", "ws://127.0.0.1:1", "--timeout", "1").failed();
    assertTrue(err.contains("could not reach the sync server at ws://127.0.0.1:1"), err);
  }
}
