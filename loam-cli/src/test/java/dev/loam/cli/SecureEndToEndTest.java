package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 11's "done when", through the real commands and a real {@code loam serve} (its own JVM,
 * SQLite in its data folder): Alice creates a secure document, writes a secret and syncs it; the
 * server's files never hold the secret; Bob, no member, gets nothing; shared read-only, Bob reads
 * but may not edit; Carol, an editor, edits and Alice sees it; Alice removes Bob and writes a new
 * secret, which Bob cannot read even from a copy of the server's whole data folder; a server killed
 * like SIGKILL and restarted has everything it acknowledged. (Stock JS clients on the same server:
 * loam-interop's {@code SecureAndPlainOnOneServerTest}.)
 */
class SecureEndToEndTest {
  @TempDir Path dir;

  private Path id(String name) {
    return dir.resolve(name + ".id");
  }

  private Path data(String name) {
    return dir.resolve("data-" + name);
  }

  private static String memberId(Path id) {
    return Cli.run("id", "show", id).ok().strip();
  }

  @Test
  void aliceBobAndCarolThroughLoamServe() throws Exception {
    for (String who : List.of("alice", "bob", "carol")) {
      Cli.run("id", "new", id(who)).ok();
    }
    String secret = Canaries.fresh("first");
    String newSecret = Canaries.fresh("second");
    Path serverData = dir.resolve("server");
    Path serverLog = dir.resolve("server-1.log");
    ServeProcess server = ServeProcess.start(serverData, serverLog);
    try {
      String ws = server.url();

      // Alice creates a secure document, writes a secret and syncs it
      String url = Cli.run("repo", "new", "--secure", "--id", id("alice"), "--data", data("alice")).ok().strip();
      Cli.run("repo", "edit", url, "--id", id("alice"), "--data", data("alice"), "--put", "/secret", json(secret)).ok();
      sync(url, "alice", ws);
      assertEquals(List.of(), Canaries.foundIn(serverData, secret, newSecret), "the server stored a secret");
      // the control: the same look finds a plain document's text in the server's files (database or WAL)
      String plain = Cli.run("repo", "new", "--data", data("alice")).ok().strip();
      String inClear = Canaries.fresh("plain");
      Cli.run("repo", "edit", plain, "--data", data("alice"), "--put", "/note", json(inClear)).ok();
      Cli.run("sync", plain, "--data", data("alice"), "--server", ws).ok();
      assertFalse(Canaries.foundIn(serverData, inClear).isEmpty(), "the canary search sees what the server stores");

      // Bob, not a member, gets nothing
      assertNothingFor(id("bob"), data("bob"), url, ws, secret);

      // shared read-only, Bob reads it and may not edit
      Cli.run("repo", "share", url, memberId(id("bob")), "--level", "read", "--id", id("alice"), "--data", data("alice")).ok();
      Cli.run("repo", "share", url, memberId(id("carol")), "--level", "edit", "--id", id("alice"), "--data", data("alice")).ok();
      sync(url, "alice", ws);
      sync(url, "bob", ws);
      assertEquals(secret, cat(url, "bob", data("bob")).get("secret").asString());
      Cli.Result edit = Cli.run("repo", "edit", url, "--id", id("bob"), "--data", data("bob"), "--put", "/secret", "\"bob's\"");
      assertEquals(Main.DENIED, edit.code(), edit.err());
      assertFalse(Canaries.in(edit.failed(), secret));

      // Carol, an editor, edits; Alice sees it
      sync(url, "carol", ws);
      Cli.run("repo", "edit", url, "--id", id("carol"), "--data", data("carol"), "--put", "/carol", "\"edited by carol\"").ok();
      sync(url, "carol", ws);
      sync(url, "alice", ws);
      JsonNode alice = cat(url, "alice", data("alice"));
      assertEquals("edited by carol", alice.get("carol").asString());
      assertEquals(secret, alice.get("secret").asString());

      // Alice removes Bob and writes a new secret
      Cli.run("repo", "unshare", url, memberId(id("bob")), "--id", id("alice"), "--data", data("alice")).ok();
      Cli.run("repo", "edit", url, "--id", id("alice"), "--data", data("alice"), "--put", "/secret2", json(newSecret)).ok();
      sync(url, "alice", ws); // acknowledged: the server has stored all of it
      assertEquals(List.of(memberId(id("alice")) + " admin", memberId(id("carol")) + " edit"),
          Cli.run("repo", "members", url, "--id", id("alice"), "--data", data("alice")).ok().lines().toList());

      // Bob's own sync brings him nothing new: a removed member may not fetch
      Cli.Result bobSync = Cli.run("sync", url, "--id", id("bob"), "--data", data("bob"), "--server", ws, "--timeout", "30");
      assertNotEquals(0, bobSync.code(), bobSync.out());
      assertFalse(Canaries.in(bobSync.out() + bobSync.err(), newSecret));
      JsonNode bobNow = cat(url, "bob", data("bob"));
      assertEquals(secret, bobNow.get("secret").asString(), "a removed member still sees what he could read");
      assertFalse(bobNow.has("secret2"));

      // killed like SIGKILL: nothing closed, nothing flushed
      server.kill();
      assertEquals(List.of(), Canaries.foundIn(serverData, secret, newSecret), "the server stored a secret");
      assertEquals(List.of(), Canaries.foundIn(serverLog, secret, newSecret),
          "the server logged a secret");

      // Bob with a copy of the server's whole data folder (database, WAL and all)
      Path copy = copyFolder(serverData, dir.resolve("server-copy"));
      JsonNode bobFromCopy = cat(url, "bob", copy);
      assertEquals(secret, bobFromCopy.get("secret").asString());
      assertFalse(bobFromCopy.has("secret2"), "a removed reader reads a secret written after the removal");
      assertFalse(Canaries.in(bobFromCopy.toString(), newSecret));
      assertEquals(newSecret, cat(url, "carol", copy).get("secret2").asString(), "a member reads the copy");
      Path stranger = dir.resolve("dave.id");
      Cli.run("id", "new", stranger).ok();
      Cli.Result daveCat = Cli.run("repo", "cat", url, "--id", stranger, "--data", copy);
      assertEquals(Main.DENIED, daveCat.code(), daveCat.err());
      assertFalse(Canaries.in(daveCat.err(), secret));

      // restarted on the same folder, it lost nothing it acknowledged
      server = ServeProcess.start(serverData, dir.resolve("server-2.log"));
      Cli.run("sync", url, "--id", id("carol"), "--data", data("carol-again"), "--server", server.url()).ok();
      JsonNode carol = cat(url, "carol", data("carol-again"));
      assertEquals(secret, carol.get("secret").asString());
      assertEquals(newSecret, carol.get("secret2").asString());
      assertEquals("edited by carol", carol.get("carol").asString());
      assertNothingFor(id("bob"), data("bob-again"), url, server.url(), newSecret);
      server.kill();
      assertEquals(List.of(), Canaries.foundIn(serverData, secret, newSecret), "the server stored a secret");
    } finally {
      server.close();
    }
  }

  /** What an identity (its own identity file and a fresh folder) gets from {@code ws}: a failed sync, no content. */
  private static void assertNothingFor(Path id, Path data, String url, String ws, String secret) {
    Cli.Result sync = Cli.run("sync", url, "--id", id, "--data", data, "--server", ws, "--timeout", "30");
    assertNotEquals(0, sync.code(), "sync by a non-member: " + sync.out());
    assertTrue(sync.failed().contains("nor the server"), sync.err());
    Cli.Result cat = Cli.run("repo", "cat", url, "--id", id, "--data", data);
    assertNotEquals(0, cat.code());
    assertFalse(Canaries.in(cat.out() + cat.err(), secret));
    assertEquals("", cat.out());
  }

  private void sync(String url, String who, String ws) {
    String out = Cli.run("sync", url, "--id", id(who), "--data", data(who), "--server", ws, "--timeout", "60").ok();
    assertTrue(out.startsWith("synced " + url + " with " + ws), out);
  }

  private JsonNode cat(String url, String who, Path data) {
    return Cli.json(Cli.run("repo", "cat", url, "--id", id(who), "--data", data).ok());
  }

  private static String json(String text) {
    return "\"" + text + "\"";
  }

  private static Path copyFolder(Path from, Path to) {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
