package dev.loam.repo.internal;

import dev.loam.repo.testing.HostileStorageAdapter;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.spi.StorageException;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.repo.storage.SqliteStorageAdapter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever a hostile adapter does, every change whose save returned normally is there when a new
 * process loads the document: failed writes, writes that land but report failure, torn chunks and
 * a crash at any write, including between a compaction's new snapshot and its removals.
 */
class StorageSubsystemDurabilityTest {
  @TempDir Path folder;

  static LongStream seeds() {
    return LongStream.rangeClosed(1, Long.getLong("loam.seeds", 200) / 4);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void acknowledgedChangesSurviveFailuresAndACrash(long seed) {
    Random random = new Random(seed);
    InMemoryStorageAdapter disk = new InMemoryStorageAdapter();
    HostileStorageAdapter hostile = HostileStorageAdapter.builder(disk).seed(seed).failureRate(0.25)
        .crashAfterWrites(10 + random.nextInt(150)).build();
    Set<ChangeHash> acknowledged = runUntilCrash(new StorageSubsystem(hostile), DocumentId.random(random), random, 400);
    assertSurvive(disk, acknowledged);
  }

  @Test
  void aCrashBetweenTheNewSnapshotAndTheRemovalsLosesNothing() {
    // Make a document whose next save compacts, then crash right after that save's first write.
    for (int crashAt = 1; crashAt < 40; crashAt++) {
      InMemoryStorageAdapter disk = new InMemoryStorageAdapter();
      HostileStorageAdapter hostile = HostileStorageAdapter.builder(disk).crashAfterWrites(crashAt).build();
      Set<ChangeHash> acknowledged = runUntilCrash(new StorageSubsystem(hostile), DocumentId.random(new Random(crashAt)), new Random(crashAt), 100);
      assertSurvive(disk, acknowledged);
    }
  }

  @Test
  void concurrentDocumentsOnSlowFailingSqliteLoseNothing() throws Exception {
    SqliteStorageAdapter disk = SqliteStorageAdapter.open(folder.resolve("loam.db"), SqliteStorageAdapter.Durability.NORMAL);
    HostileStorageAdapter hostile = HostileStorageAdapter.builder(disk).seed(99).failureRate(0.2).maxDelayMillis(2).build();
    StorageSubsystem storage = new StorageSubsystem(hostile);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Set<ChangeHash>>> results = new ArrayList<>();
      List<DocumentId> ids = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        DocumentId id = DocumentId.random(new Random(t));
        ids.add(id);
        int seed = t;
        results.add(pool.submit(() -> runUntilCrash(storage, id, new Random(seed), 60)));
      }
      for (int t = 0; t < 4; t++) {
        Set<ChangeHash> acknowledged = results.get(t).get(120, TimeUnit.SECONDS);
        Document loaded = new StorageSubsystem(disk).loadDoc(ids.get(t)).orElseThrow();
        for (ChangeHash h : acknowledged) {
          assertTrue(loaded.change(h).isPresent(), "document " + t + " lost acknowledged change " + h);
        }
      }
    } finally {
      pool.shutdownNow();
      disk.close();
    }
  }

  /** Edits and saves until the adapter crashes or {@code steps} run out; returns the acknowledged heads. */
  private static Set<ChangeHash> runUntilCrash(StorageSubsystem storage, DocumentId id, Random random, int steps) {
    Document doc = Document.create();
    ObjId text = doc.putObject(ObjId.ROOT, "text", ObjType.TEXT);
    Set<ChangeHash> acknowledged = new HashSet<>();
    for (int step = 0; step < steps; step++) {
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits; e++) {
        int len = doc.length(text);
        doc.spliceText(text, random.nextInt(len + 1), 0, "x".repeat(1 + random.nextInt(40)));
        doc.put(ObjId.ROOT, "k" + random.nextInt(5), ScalarValue.of(step));
        doc.commit();
      }
      try {
        storage.saveDoc(id, doc);
        acknowledged.addAll(doc.heads().hashes());
      } catch (StorageException e) {
        if (e.getMessage().contains("crashed")) {
          break;
        }
      }
    }
    return acknowledged;
  }

  private static void assertSurvive(StorageAdapter disk, Set<ChangeHash> acknowledged) {
    StorageSubsystem restarted = new StorageSubsystem(disk);
    if (acknowledged.isEmpty()) {
      return;
    }
    // Find the document: the only one on the disk.
    Document loaded = restarted.loadDoc(onlyDocument(disk)).orElseThrow();
    for (ChangeHash h : acknowledged) {
      assertTrue(loaded.change(h).isPresent(), "lost acknowledged change " + h);
    }
    // And a second load after a further save (compaction over leftovers) still has everything.
    Heads before = loaded.heads();
    restarted.saveDoc(onlyDocument(disk), loaded);
    assertEquals(before, new StorageSubsystem(disk).loadDoc(onlyDocument(disk)).orElseThrow().heads());
  }

  private static DocumentId onlyDocument(StorageAdapter disk) {
    Set<String> ids = new HashSet<>();
    disk.loadRange(dev.loam.repo.spi.StorageKey.EMPTY).forEach(c -> ids.add(c.key().get(0)));
    ids.remove("storage-adapter-id");
    assertEquals(1, ids.size(), ids.toString());
    return DocumentId.parse(ids.iterator().next());
  }
}
