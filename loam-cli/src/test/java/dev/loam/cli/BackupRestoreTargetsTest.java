package dev.loam.cli;

import static dev.loam.cli.BackupFixtures.assertSameDocuments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.AutomergeUrl;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.net.WebSocketClientAdapter;
import dev.loam.repo.storage.FileSystemStorageAdapter;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.repo.storage.SqliteStorageAdapter;
import dev.loam.server.LoamServer;
import dev.loam.server.PostgresStorageAdapter;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code loam backup restore} into every storage kind and through a running server, and as of a
 * time: the restored documents are those the source repo reported (heads and JSON).
 */
class BackupRestoreTargetsTest {
  @TempDir Path dir;

  @Test
  void aBackupMovesFromSqliteToTheFileSystemToPostgresAndBackUnchanged() throws Exception {
    Path sqlite = dir.resolve("sqlite");
    Map<String, BackupFixtures.Doc> source = BackupFixtures.create(SqliteStorageAdapter.open(sqlite.resolve(LocalRepo.DB_FILE)),
        6, 200, 21);
    Path a = dir.resolve("a.loam");
    Cli.run("backup", "create", "--out", a, "--data", sqlite).ok();

    Path fs = dir.resolve("fs");
    Cli.run("backup", "restore", a, "--data", fs, "--storage", "fs").ok();
    assertSameDocuments(source, BackupFixtures.read(FileSystemStorageAdapter.open(fs)));
    Path b = dir.resolve("b.loam");
    Cli.run("backup", "create", "--out", b, "--data", fs, "--storage", "fs").ok();

    try (EmbeddedPostgres pg = EmbeddedPostgresSupport.start()) {
      String url = EmbeddedPostgresSupport.newDatabase(pg);
      String out = Cli.run("backup", "restore", b, "--storage", "postgres", "--postgres-url", url).ok();
      assertTrue(out.startsWith("restored 6 documents into PostgreSQL storage: 6 written"), out);
      assertSameDocuments(source, BackupFixtures.read(PostgresStorageAdapter.builder().url(url).build()));
      Path c = dir.resolve("c.loam");
      Cli.run("backup", "create", "--out", c, "--storage", "postgres", "--postgres-url", url).ok();

      Path back = dir.resolve("back");
      Cli.run("backup", "restore", c, "--data", back).ok();
      assertSameDocuments(source, BackupFixtures.read(SqliteStorageAdapter.open(back.resolve(LocalRepo.DB_FILE))));
      List<String> expected = BackupFixtures.lsLines(source);
      for (Path archive : List.of(a, b, c)) {
        assertEquals(expected, Cli.run("backup", "ls", archive).ok().lines().toList(), archive.toString());
      }
    }
  }

  @Test
  void aRestoreThroughARunningServerSyncsEveryDocumentInAndKeepsTheServersNewerChanges() throws Exception {
    Path data = dir.resolve("data");
    Map<String, BackupFixtures.Doc> source = BackupFixtures.create(SqliteStorageAdapter.open(data.resolve(LocalRepo.DB_FILE)),
        5, 100, 22);
    Path file = dir.resolve("b.loam");
    Cli.run("backup", "create", "--out", file, "--data", data).ok();
    try (LoamServer server = LoamServer.builder().host("127.0.0.1").port(0)
        .storage(SqliteStorageAdapter.open(dir.resolve("server.db"))).build().start()) {
      String ws = "ws://127.0.0.1:" + server.port();
      String out = Cli.run("backup", "restore", file, "--server", ws).ok();
      assertEquals("restored 5 documents into the server at " + ws + ": it has every backed-up change; merged through sync:"
          + " the server keeps its newer changes, and its clients receive the restored ones\n", out);
      String url = source.keySet().iterator().next();
      BackupFixtures.Doc newer;
      try (Client client = Client.connect(ws)) {
        assertSameDocuments(source, client.read(source.keySet()));
        newer = client.append(url, "newer than the backup");
      }
      Cli.run("backup", "restore", file, "--server", ws).ok(); // again: a no-op merge
      try (Client client = Client.connect(ws)) {
        Map<String, BackupFixtures.Doc> expected = new TreeMap<>(source);
        expected.put(url, newer);
        assertSameDocuments(expected, client.read(source.keySet()));
      }
    }
  }

  @Test
  void aRestoreAsOfATimeGivesEachDocumentItsLatestStateByThenAndLeavesOutLaterDocuments() {
    Instant t1 = Instant.parse("2026-11-01T09:00:00Z");
    Instant t2 = Instant.parse("2026-11-02T09:00:00Z");
    Instant[] now = {t1};
    InstantSource clock = () -> now[0];
    Path data = dir.resolve("data");
    String early;
    String late;
    Heads earlyHeadsAtT1;
    String earlyJsonAtT1;
    try (Repo repo = Repo.builder().storage(SqliteStorageAdapter.open(data.resolve(LocalRepo.DB_FILE))).clock(clock).build()) {
      DocHandle e = repo.create();
      e.change(tx -> tx.put(ObjId.ROOT, "state", "at t1"));
      earlyHeadsAtT1 = e.heads();
      earlyJsonAtT1 = e.toJson();
      now[0] = t2;
      e.change(tx -> tx.put(ObjId.ROOT, "state", "at t2"));
      DocHandle l = repo.create();
      l.change(tx -> tx.put(ObjId.ROOT, "state", "created at t2"));
      early = e.url().toString();
      late = l.url().toString();
      repo.flush();
    }
    Path file = dir.resolve("b.loam");
    Cli.run("backup", "create", "--out", file, "--data", data).ok();
    Path target = dir.resolve("restored");
    String out = Cli.run("backup", "restore", file, "--data", target, "--as-of", "2026-11-01T12:00:00Z").ok();
    assertEquals("restored 1 document into sqlite storage in " + target + " as of 2026-11-01T12:00:00Z (change times come"
        + " from the authors' clocks): 1 written, 0 already up to date; merged: nothing the storage held was deleted or"
        + " overwritten, newer changes included; 1 document had no change by the --as-of time\n", out);
    Map<String, BackupFixtures.Doc> restored = BackupFixtures.read(SqliteStorageAdapter.open(target.resolve(LocalRepo.DB_FILE)));
    assertEquals(Map.of(early, new BackupFixtures.Doc(earlyHeadsAtT1, earlyJsonAtT1)), restored);
    assertTrue(!restored.containsKey(late));
    // an offset other than Z names the same instant
    Path other = dir.resolve("other");
    Cli.run("backup", "restore", file, "--data", other, "--as-of", "2026-11-01T13:00:00+01:00").ok();
    assertEquals(restored, BackupFixtures.read(SqliteStorageAdapter.open(other.resolve(LocalRepo.DB_FILE))));
  }

  /** An ordinary client of the server, in memory. */
  private record Client(Repo repo, PeerId server) implements AutoCloseable {
    static Client connect(String ws) throws Exception {
      WebSocketClientAdapter net = WebSocketClientAdapter.of(ws);
      Repo repo = Repo.builder().storage(new InMemoryStorageAdapter()).network(net).build();
      return new Client(repo, net.firstHandshake().get(30, TimeUnit.SECONDS));
    }

    DocHandle find(String url) throws Exception {
      DocHandle h = repo.find(AutomergeUrl.parse(url)).whenReady().get(30, TimeUnit.SECONDS);
      h.whenSyncedWith(server).get(30, TimeUnit.SECONDS);
      return h;
    }

    Map<String, BackupFixtures.Doc> read(Iterable<String> urls) throws Exception {
      Map<String, BackupFixtures.Doc> out = new TreeMap<>();
      for (String url : urls) {
        DocHandle h = find(url);
        out.put(url, new BackupFixtures.Doc(h.heads(), h.toJson()));
      }
      return out;
    }

    BackupFixtures.Doc append(String url, String text) throws Exception {
      DocHandle h = find(url);
      h.change(tx -> {
        ObjId items = ((dev.loam.Value.Obj) tx.get(ObjId.ROOT, "items").orElseThrow()).id();
        tx.insert(items, tx.length(items), dev.loam.ScalarValue.of(text));
      });
      h.whenPeerHas(server, h.heads()).get(30, TimeUnit.SECONDS);
      return new BackupFixtures.Doc(h.heads(), h.toJson());
    }

    @Override
    public void close() {
      repo.close();
    }
  }
}
