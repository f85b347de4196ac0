package dev.loam.repo.storage;

import dev.loam.Bytes;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.internal.StorageSubsystem;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageException;
import dev.loam.repo.spi.StorageKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A filesystem snapshot reads a document that another writer keeps saving and compacting at one
 * set of heads: never a read that lost the chunks a concurrent compaction replaced.
 */
class FileSystemSnapshotTest {
  private static final int CHANGES = 600;

  @TempDir Path base;

  @Test
  void aDocumentCompactedWhileItIsReadLoadsCompleteAndAtLeastAsNewAsWhenTheReadStarted() throws Exception {
    FileSystemStorageAdapter fs = FileSystemStorageAdapter.open(base);
    StorageSubsystem storage = new StorageSubsystem(fs);
    DocumentId id = DocumentId.random();
    Document doc = Document.create();
    ObjId[] made = new ObjId[1];
    doc.transact(tx -> made[0] = tx.putText(ObjId.ROOT, "text", ""));
    ObjId text = made[0];
    storage.saveDoc(id, doc);
    AtomicInteger saved = new AtomicInteger(doc.changes().size()); // changes durable in the folder
    AtomicInteger writing = new AtomicInteger(saved.get()); // changes that may be in the folder
    java.util.Set<String> snapshotNames = java.util.concurrent.ConcurrentHashMap.newKeySet();
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      for (int i = 0; i < CHANGES; i++) {
        int at = i;
        doc.transact(tx -> tx.spliceText(text, at, 0, "x"));
        writing.set(doc.changes().size());
        storage.saveDoc(id, doc);
        snapshotNames.addAll(snapshots(id));
        saved.set(doc.changes().size());
      }
    });
    FileSystemSnapshot snapshot = FileSystemSnapshot.open(base);
    int reads = 0;
    int last = 0;
    while (!writer.isDone() || reads == 0) {
      int before = saved.get();
      List<Chunk> chunks = snapshot.loadRange(StorageKey.of(id.toString()));
      int after = writing.get();
      Document read = load(chunks);
      assertEquals(List.of(), read.missingDeps(Heads.EMPTY), "read " + reads + ": no change lacks a dependency");
      int n = read.changes().size();
      assertTrue(n >= before && n <= after && n >= last,
          "read " + reads + " holds " + n + " changes; " + before + " were saved before it, " + after + " at most after, "
              + last + " in the read before");
      last = n;
      reads++;
    }
    writer.get(60, TimeUnit.SECONDS);
    assertTrue(snapshotNames.size() > 3, "the writer compacted while the reads ran: " + snapshotNames.size() + " snapshots");
    assertEquals(doc.heads(), load(snapshot.loadRange(StorageKey.EMPTY)).heads());
  }

  @Test
  void aSnapshotIsReadOnlyAndNeedsAFolder() {
    assertThrows(StorageException.class, () -> FileSystemSnapshot.open(base.resolve("none")));
    FileSystemSnapshot snapshot = FileSystemSnapshot.open(base);
    StorageKey key = StorageKey.of("storage-adapter-id");
    assertThrows(UnsupportedOperationException.class, () -> snapshot.save(key, Bytes.EMPTY));
    FileSystemStorageAdapter.open(base).save(key, Bytes.wrap(new byte[] {1}));
    assertEquals(List.of(new Chunk(key, Bytes.wrap(new byte[] {1}))), snapshot.loadRange(StorageKey.EMPTY));
  }

  private List<String> snapshots(DocumentId id) {
    Path dir = FileSystemStorageAdapter.pathOf(base.toAbsolutePath().normalize(), StorageKey.of(id.toString(), "snapshot"));
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The document the chunks hold, as the repo loads them: snapshots first, then incrementals. */
  private static Document load(List<Chunk> chunks) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    chunks.stream().filter(c -> c.key().size() == 3)
        .sorted(Comparator.comparing((Chunk c) -> !c.key().get(1).equals("snapshot")).thenComparing(c -> c.key().get(2)))
        .forEach(c -> all.writeBytes(c.data().toByteArray()));
    Document d = Document.create();
    d.loadIncremental(all.toByteArray());
    return d;
  }
}
