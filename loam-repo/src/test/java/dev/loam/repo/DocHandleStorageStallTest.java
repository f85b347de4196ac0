package dev.loam.repo;

import static dev.loam.repo.RepoTestSupport.append;
import static dev.loam.repo.RepoTestSupport.await;
import static dev.loam.repo.RepoTestSupport.awaitLatch;
import static dev.loam.repo.RepoTestSupport.items;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.loam.Bytes;
import dev.loam.Heads;
import dev.loam.repo.internal.StorageSubsystem;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.spi.StorageKey;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * A handle's readers and writers never wait for storage: while a save of the document hangs in the
 * storage adapter, {@code read}, {@code heads} and {@code change} on the handle still complete.
 */
class DocHandleStorageStallTest {
  /** Storage whose document writes, once armed, block until released. */
  private static final class StallingStorage implements StorageAdapter {
    final InMemoryStorageAdapter disk = new InMemoryStorageAdapter();
    final CountDownLatch stalled = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean armed;

    @Override public Optional<Bytes> load(StorageKey key) { return disk.load(key); }

    @Override public void save(StorageKey key, Bytes data) {
      if (armed && key.size() == 3) { // [docId, snapshot|incremental, hash]: a document chunk
        stalled.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      disk.save(key, data);
    }

    @Override public void remove(StorageKey key) { disk.remove(key); }

    @Override public List<Chunk> loadRange(StorageKey prefix) { return disk.loadRange(prefix); }

    @Override public void removeRange(StorageKey prefix) { disk.removeRange(prefix); }
  }

  @Test
  void readsAndChangesCompleteWhileASaveIsStuckInStorage() {
    StallingStorage storage = new StallingStorage();
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try (Repo repo = Repo.builder().storage(storage).syncDebounce(Duration.ZERO).build()) {
      DocHandle h = repo.create();
      append(h, "saved");
      repo.flush(); // storage holds the document before the stall is armed
      storage.armed = true;
      Heads heads;
      try {
        append(h, "stuck"); // its save runs on the handle's task queue and hangs there
        awaitLatch("the save reaches storage and hangs", storage.stalled);
        // on another thread, so a handle that waited for the disk fails the deadline instead of hanging the test
        heads = await("heads() during the stall", CompletableFuture.supplyAsync(h::heads, caller));
        int read = await("read() during the stall", CompletableFuture.supplyAsync(() -> items(h), caller));
        await("change() during the stall", CompletableFuture.runAsync(() -> append(h, "while stuck"), caller));
        assertEquals(2, read);
      } finally {
        storage.release.countDown(); // before close(), which saves and so waits for the stalled save
      }
      assertEquals(3, items(h));
      assertNotEquals(heads, h.heads(), "the change during the stall moved the heads");
      repo.flush();
      assertEquals(h.heads(), new StorageSubsystem(storage.disk).loadDoc(h.documentId()).orElseThrow().heads(),
          "after the stall storage holds every change");
    } finally {
      caller.shutdownNow();
    }
  }
}
