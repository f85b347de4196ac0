package dev.loam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ChangeHash;
import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.PeerId;
import dev.loam.repo.net.WebSocketClientAdapter;
import dev.loam.repo.spi.StorageSnapshot;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code loam backup create} while a real {@code loam serve} (its own JVM, holding the data
 * folder's lock or PostgreSQL's advisory lock) runs on the same storage and a client keeps writing
 * through it: the backup succeeds, each document's manifest heads are ancestors of (or equal to)
 * the live heads, and an open backup snapshot does not hold back the server's durable writes.
 */
class BackupWhileServingTest {
  private static final int DOCS = 12;
  private static EmbeddedPostgres postgres;

  @TempDir Path dir;

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  /** The options naming the storage of {@code kind}, for serve and for backup create alike. */
  private List<String> storage(ServeCommand.StorageKind kind) throws Exception {
    return switch (kind) {
      case sqlite -> List.of("--data", dir.resolve("data").toString());
      case fs -> List.of("--data", dir.resolve("data").toString(), "--storage", "fs");
      case postgres -> {
        if (postgres == null) {
          postgres = EmbeddedPostgresSupport.start();
        }
        yield List.of("--storage", "postgres", "--postgres-url", EmbeddedPostgresSupport.newDatabase(postgres));
      }
      case memory -> throw new IllegalArgumentException("memory storage keeps nothing to back up"); // excluded below
    };
  }

  /** The options of {@code storage} that {@link ServeProcess} does not give itself ({@code --data}). */
  private static String[] serveOptions(List<String> storage) {
    return (storage.get(0).equals("--data") ? storage.subList(2, storage.size()) : storage).toArray(String[]::new);
  }

  /** A client of the server with {@link #DOCS} documents the server has confirmed. */
  private record Client(Repo repo, PeerId server, List<DocHandle> docs) implements AutoCloseable {
    static Client connect(String url) throws Exception {
      WebSocketClientAdapter net = WebSocketClientAdapter.of(url);
      Repo repo = Repo.builder().storage(new InMemoryStorageAdapter()).network(net).build();
      PeerId server = net.firstHandshake().get(30, TimeUnit.SECONDS);
      List<DocHandle> docs = new ArrayList<>();
      for (int i = 0; i < DOCS; i++) {
        DocHandle h = repo.create();
        h.change(tx -> tx.putObject(ObjId.ROOT, "items", ObjType.LIST));
        docs.add(h);
      }
      Client c = new Client(repo, server, docs);
      for (DocHandle h : docs) {
        c.confirm(h);
      }
      return c;
    }

    /** Appends to {@code h} and waits until the server has it (so its storage has it: servers save before they answer). */
    void append(DocHandle h, String text) throws Exception {
      h.change(tx -> {
        ObjId items = ((dev.loam.Value.Obj) tx.get(ObjId.ROOT, "items").orElseThrow()).id();
        tx.insert(items, tx.length(items), ScalarValue.of(text));
      });
      confirm(h);
    }

    void confirm(DocHandle h) throws Exception {
      h.whenPeerHas(server, h.heads()).get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      repo.close();
    }
  }

  @ParameterizedTest
  @EnumSource(value = ServeCommand.StorageKind.class, names = {"sqlite", "fs", "postgres"})
  void aBackupTakenWhileClientsWriteThroughTheServerHoldsAncestorsOfTheLiveHeads(ServeCommand.StorageKind kind) throws Exception {
    List<String> storage = storage(kind);
    try (ServeProcess serve = ServeProcess.start(dir.resolve("data"), dir.resolve("serve.log"),
            serveOptions(storage));
        Client client = Client.connect(serve.url())) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger written = new AtomicInteger();
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        try {
          for (int i = 0; !stop.get(); i++) {
            client.append(client.docs().get(i % DOCS), "edit " + i);
            written.incrementAndGet();
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Path file = dir.resolve("online.loam");
      List<String> args = new ArrayList<>(List.of("backup", "create", "--out", file.toString()));
      args.addAll(storage);
      String out;
      try {
        out = Cli.run(args.toArray(String[]::new)).ok();
      } finally {
        stop.set(true);
      }
      writer.get(60, TimeUnit.SECONDS);
      assertTrue(out.startsWith("backed up " + DOCS + " documents of "), out);
      assertTrue(written.get() > 0, "the client wrote during the run");

      Map<String, DocHandle> live = new HashMap<>();
      client.docs().forEach(h -> live.put(h.url().toString(), h));
      List<String> lines = Cli.run("backup", "ls", file).ok().lines().toList();
      assertEquals(DOCS, lines.size(), lines.toString());
      for (String line : lines) {
        String[] parts = line.split(" ");
        DocHandle h = live.get(parts[0]);
        for (String head : parts[1].split(",")) {
          boolean inHistory = h.read(d -> d.change(ChangeHash.fromHex(head)).isPresent());
          assertTrue(inHistory, parts[0] + ": the backup's head " + head + " is in the live history");
        }
      }
      Cli.run("backup", "verify", file).ok();
    }
  }

  @ParameterizedTest
  @EnumSource(value = ServeCommand.StorageKind.class, names = {"sqlite", "fs", "postgres"})
  void anOpenBackupSnapshotDoesNotHoldBackTheServersDurableWrites(ServeCommand.StorageKind kind) throws Exception {
    List<String> storage = storage(kind);
    try (ServeProcess serve = ServeProcess.start(dir.resolve("data"), dir.resolve("serve.log"),
            serveOptions(storage));
        Client client = Client.connect(serve.url())) {
      DocHandle h = client.docs().get(0);
      Heads before = h.heads();
      BackupStorage options = new BackupStorage();
      options.data = dir.resolve("data");
      options.storage = kind;
      options.postgresUrl = kind == ServeCommand.StorageKind.postgres ? storage.get(3) : null;
      List<String> during = new ArrayList<>();
      try (StorageSnapshot snapshot = options.snapshot()) {
        // what backup create holds while it reads; the server stores each of these before it confirms it
        for (int i = 0; i < 5; i++) {
          client.append(h, "while a backup reads " + i);
          during.add(h.heads().iterator().next().hex());
        }
        Map<String, BackupFixtures.Doc> seen = BackupFixtures.read(readOnly(snapshot));
        if (kind != ServeCommand.StorageKind.fs) { // one instant for the whole storage; fs: per document
          assertEquals(before, seen.get(h.url().toString()).heads(), "the snapshot keeps its instant");
        }
      }
      Path file = dir.resolve("after.loam");
      List<String> args = new ArrayList<>(List.of("backup", "create", "--out", file.toString()));
      args.addAll(storage);
      Cli.run(args.toArray(String[]::new)).ok();
      String line = Cli.run("backup", "ls", file).ok().lines().filter(l -> l.startsWith(h.url() + " ")).findFirst().orElseThrow();
      assertEquals(h.url() + " " + during.get(during.size() - 1), line);
      assertFalse(during.isEmpty());
    }
  }

  /** A storage adapter that reads {@code snapshot} and does not close it (the test does). */
  private static dev.loam.repo.spi.StorageAdapter readOnly(StorageSnapshot snapshot) {
    return new StorageSnapshot() {
      @Override
      public java.util.Optional<dev.loam.Bytes> load(dev.loam.repo.spi.StorageKey key) {
        return snapshot.load(key);
      }

      @Override
      public List<dev.loam.repo.spi.Chunk> loadRange(dev.loam.repo.spi.StorageKey prefix) {
        return snapshot.loadRange(prefix);
      }
    };
  }
}
