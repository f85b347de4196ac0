package dev.loam.repo.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Bytes;
import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.spi.StorageKey;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link StorageSubsystem#snapshot} reads storage as of one instant: never during one of its own writes. */
class StorageSnapshotTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  /** Holds the first save of a document chunk until released; records whether a range was read meanwhile. */
  private static final class SlowSave implements StorageAdapter {
    final InMemoryStorageAdapter inner = new InMemoryStorageAdapter();
    final CountDownLatch saving = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean rangeReadDuringSave;

    @Override
    public Optional<Bytes> load(StorageKey key) {
      return inner.load(key);
    }

    @Override
    public void save(StorageKey key, Bytes data) {
      if (key.size() == 3 && saving.getCount() > 0) {
        saving.countDown();
        try {
          assertTrue(release.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      inner.save(key, data);
    }

    @Override
    public void remove(StorageKey key) {
      inner.remove(key);
    }

    @Override
    public List<Chunk> loadRange(StorageKey prefix) {
      if (saving.getCount() == 0 && release.getCount() > 0) {
        rangeReadDuringSave = true;
      }
      return inner.loadRange(prefix);
    }

    @Override
    public void removeRange(StorageKey prefix) {
      inner.removeRange(prefix);
    }
  }

  @Test
  void aSnapshotWaitsForASaveInProgressAndThenIncludesIt() throws Exception {
    SlowSave disk = new SlowSave();
    StorageSubsystem storage = new StorageSubsystem(disk);
    storage.id(); // the storage id is written before the test's save
    DocumentId id = DocumentId.random(new Random(5));
    Document doc = Document.create();
    doc.put(ObjId.ROOT, "k", ScalarValue.of("v"));
    doc.commit();

    CompletableFuture<Void> save = CompletableFuture.runAsync(() -> storage.saveDoc(id, doc));
    assertTrue(disk.saving.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the save started");
    CompletableFuture<List<Chunk>> snapshot = new CompletableFuture<>();
    Thread reader = Thread.ofVirtual().start(() -> snapshot.complete(storage.snapshot()));
    // Wait (spinning, with a deadline) until the reader either parks on the lock or is done.
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (reader.getState() != Thread.State.WAITING && reader.isAlive() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertFalse(disk.rangeReadDuringSave, "the snapshot read storage while a save was half done");
    disk.release.countDown();
    save.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    List<Chunk> chunks = snapshot.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertFalse(disk.rangeReadDuringSave);
    assertTrue(chunks.stream().anyMatch(c -> c.key().get(0).equals(id.toString())), "the snapshot holds the save: " + chunks);
  }
}
