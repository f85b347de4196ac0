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

/** {@code loam sync} of a secure document against an in-process server: who gets what, and the failures. */
class SecureSyncCommandTest {
  @TempDir Path dir;
  LoamServer server;
  String ws;
  Path alice;
  Path relay;

  @BeforeEach
  void start() throws Exception {
    server = LoamServer.builder().host("127.0.0.1").port(0).storage(new InMemoryStorageAdapter()).build().start();
    ws = "ws://127.0.0.1:" + server.port();
    alice = dir.resolve("alice.id");
    relay = dir.resolve("relay.id");
    Cli.run("id", "new", alice).ok();
    Cli.run("id", "new", relay).ok();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aRelaySyncsTheEnvelopesButMayNotReadThem() {
    Path a = dir.resolve("a");
    String url = Cli.run("repo", "new", "--secure", "--id", alice, "--data", a).ok().strip();
    Cli.run("repo", "edit", url, "--id", alice, "--data", a, "--put", "/x", "\"for readers\"").ok();
    String relayId = Cli.run("id", "show", relay).ok().strip();
    Cli.run("repo", "share", url, relayId, "--level", "relay", "--id", alice, "--data", a).ok();
    Cli.run("sync", url, "--id", alice, "--data", a, "--server", ws).ok();

    Path r = dir.resolve("r");
    String out = Cli.run("sync", url, "--id", relay, "--data", r, "--server", ws).ok();
    assertTrue(out.startsWith("synced " + url + " with " + ws + " ("), out);
    assertEquals(Cli.run("repo", "members", url, "--id", alice, "--data", a).ok(),
        Cli.run("repo", "members", url, "--id", relay, "--data", r).ok(), "the relay holds the whole log");
    Cli.Result cat = Cli.run("repo", "cat", url, "--id", relay, "--data", r);
    assertEquals(Main.DENIED, cat.code(), cat.err());
    assertTrue(cat.failed().contains("(its level is relay)"), cat.err());
    // what the relay holds is enough for a reader: Alice reads the relay's folder
    assertEquals("{\"x\":\"for readers\"}\n", Cli.run("repo", "cat", url, "--id", alice, "--data", r).ok());
  }

  @Test
  void aDocumentNeitherSideHasFailsAsAPlainOneDoes() {
    Path a = dir.resolve("a");
    String url = Cli.run("repo", "new", "--secure", "--id", alice, "--data", a).ok().strip();
    Cli.Result r = Cli.run("sync", url, "--id", alice, "--data", dir.resolve("b"), "--server", ws);
    assertEquals(Main.FAILED, r.code());
    assertTrue(r.failed().contains("nor the server " + ws + " has " + url), r.err());
  }

  @Test
  void anUnreachableServerFailsWithOneLine() {
    String url = Cli.run("repo", "new", "--secure", "--id", alice, "--data", dir.resolve("a")).ok().strip();
    String err = Cli.run("sync", url, "--id", alice, "--data", dir.resolve("a"), "--server", "ws://127.0.0.1:1",
        "--timeout", "5").failed();
    assertTrue(err.contains("could not reach the sync server at ws://127.0.0.1:1: connection refused"), err);
  }
}
