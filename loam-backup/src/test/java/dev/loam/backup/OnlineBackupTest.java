package dev.loam.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ChangeHash;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup taken while a writer keeps changing the documents captures each document at one set of
 * heads that the live document contains (its heads are ancestors of the live heads), verifies, and
 * does not stop the writer.
 */
class OnlineBackupTest {
  @TempDir Path dir;

  @Test
  void writesDuringTheBackupLeaveManifestHeadsThatAreAncestorsOfTheLiveHeads() throws Exception {
    try (Repo repo = Fixtures.repo(new InMemoryStorageAdapter())) {
      List<DocHandle> docs = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        DocHandle h = repo.create();
        Fixtures.put(h, "n", "0");
        docs.add(h);
      }
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger writes = new AtomicInteger();
      CountDownLatch writing = new CountDownLatch(50);
      CountDownLatch writesDuringBackup = new CountDownLatch(20);
      AtomicBoolean backingUp = new AtomicBoolean();
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        for (int n = 1; !stop.get(); n++) {
          Fixtures.put(docs.get(n % docs.size()), "n", Integer.toString(n));
          writes.incrementAndGet();
          writing.countDown();
          if (backingUp.get()) {
            writesDuringBackup.countDown();
          }
        }
      });
      assertTrue(writing.await(30, TimeUnit.SECONDS), "the writer started");
      Path archive = dir.resolve("online.loambak");
      // progress is called on the backup's thread between documents: the writer goes on meanwhile
      Progress waitForWrites = (phase, done, total) -> {
        if (phase == Progress.Phase.WRITE && done == total / 2) {
          backingUp.set(true);
          try {
            assertTrue(writesDuringBackup.await(30, TimeUnit.SECONDS), "the writer was not blocked by the backup");
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      };
      Backup.create(BackupSource.of(repo), archive, CreateOptions.full().withProgress(waitForWrites));
      stop.set(true);
      writer.get(30, TimeUnit.SECONDS);

      assertTrue(Backup.verify(List.of(archive), Optional.empty()).ok());
      ArchiveInfo info = Backup.list(archive, Optional.empty());
      assertEquals(docs.size(), info.entries().size());
      int behind = 0;
      for (ArchiveEntry e : info.entries()) {
        DocHandle live = repo.find(e.document()).whenReady().get(30, TimeUnit.SECONDS);
        for (var head : e.heads()) {
          assertTrue(live.doc().change(ChangeHash.of(head.toByteArray())).isPresent(),
              "document " + e.document() + ": manifest head " + head.hex() + " is not in the live history");
        }
        behind += live.heads().hashes().stream().map(h -> h.hex()).toList().equals(e.heads().stream().map(b -> b.hex()).toList()) ? 0 : 1;
      }
      assertTrue(behind > 0, "some document moved on after the snapshot (" + writes.get() + " writes)");
    }
  }

}
