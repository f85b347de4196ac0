package dev.loam.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Bytes;
import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.spi.StorageException;
import dev.loam.repo.spi.StorageKey;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a restore does to a target that holds data: merge never deletes or overwrites newer data,
 * restoring twice changes nothing, replace leaves exactly the backup with a fresh storage id, and a
 * restore whose writes fail part-way leaves the target as it was.
 */
class RestoreSemanticsTest {
  @TempDir Path dir;
  Path archive;
  DocumentId shared;
  DocumentId other;
  InMemoryStorageAdapter sourceStorage;

  @BeforeEach
  void backup() {
    archive = dir.resolve("b.loambak");
    sourceStorage = new InMemoryStorageAdapter();
    try (Repo source = Fixtures.repo(sourceStorage)) {
      DocHandle a = source.create();
      Fixtures.put(a, "title", "from the backup");
      shared = a.documentId();
      DocHandle b = source.create();
      Fixtures.put(b, "n", "other");
      other = b.documentId();
      Backup.create(BackupSource.of(source), archive, CreateOptions.full());
    }
  }

  @Test
  void restoringTwiceWritesNothingTheSecondTime() {
    InMemoryStorageAdapter target = new InMemoryStorageAdapter();
    assertEquals(2, Backup.restore(List.of(archive), target, RestoreOptions.merge()).written());
    Map<StorageKey, String> once = Fixtures.contents(target);
    RestoreSummary again = Backup.restore(List.of(archive), target, RestoreOptions.merge());
    assertEquals(0, again.written());
    assertEquals(2, again.unchanged());
    assertEquals(once, Fixtures.contents(target));
    RestoreSummary replaced = Backup.restore(List.of(archive), target, RestoreOptions.replace());
    assertEquals(0, replaced.written());
    assertEquals(once, Fixtures.contents(target), "a replace onto exactly the backup keeps even the storage id");
  }

  @Test
  void mergeKeepsTheTargetsNewerChangesAndAddsTheBackups() {
    // the target is a copy of the source that moved on after the backup
    InMemoryStorageAdapter target = copyOf(sourceStorage);
    Heads newer;
    try (Repo r = Fixtures.repo(target)) {
      DocHandle h = r.find(shared).whenReady().join();
      Fixtures.put(h, "title", "newer than the backup");
      Fixtures.put(h, "extra", "only in the target");
      newer = h.heads();
      r.delete(other); // the backup brings it back: a merge never deletes, and restores what was lost
    }
    RestoreSummary s = Backup.restore(List.of(archive), target, RestoreOptions.merge());
    assertEquals(1, s.written());
    assertEquals(1, s.unchanged());
    try (Repo r = Fixtures.repo(target)) {
      DocHandle h = r.find(shared).whenReady().join();
      assertEquals(newer, h.heads());
      assertEquals(Optional.of(ScalarValue.of("newer than the backup")), h.doc().get(ObjId.ROOT, "title"));
      assertEquals(Optional.of(ScalarValue.of("only in the target")), h.doc().get(ObjId.ROOT, "extra"));
      assertEquals(Optional.of(ScalarValue.of("other")), r.find(other).whenReady().join().doc().get(ObjId.ROOT, "n"));
    }
  }

  @Test
  void mergeOfAConcurrentEditKeepsBothSides() {
    InMemoryStorageAdapter target = copyOf(sourceStorage);
    try (Repo r = Fixtures.repo(target)) {
      Fixtures.put(r.find(shared).whenReady().join(), "target", "edit");
    }
    Path later = dir.resolve("later.loambak");
    try (Repo source = Fixtures.repo(sourceStorage)) {
      Fixtures.put(source.find(shared).whenReady().join(), "source", "edit");
      Backup.create(BackupSource.of(source), later, CreateOptions.full());
    }
    Backup.restore(List.of(later), target, RestoreOptions.merge());
    try (Repo r = Fixtures.repo(target)) {
      DocHandle h = r.find(shared).whenReady().join();
      assertEquals(Optional.of(ScalarValue.of("edit")), h.doc().get(ObjId.ROOT, "target"));
      assertEquals(Optional.of(ScalarValue.of("edit")), h.doc().get(ObjId.ROOT, "source"));
    }
  }

  @Test
  void replaceLeavesExactlyTheBackupAndANewStorageId() {
    InMemoryStorageAdapter target = copyOf(sourceStorage);
    DocumentId stranger;
    String oldId;
    try (Repo r = Fixtures.repo(target)) {
      oldId = r.storageId().orElseThrow().value();
      Fixtures.put(r.find(shared).whenReady().join(), "title", "to be dropped");
      DocHandle s = r.create();
      Fixtures.put(s, "n", "not in the backup");
      stranger = s.documentId();
    }
    target.save(StorageKey.of(shared.toString(), "sync-state", "some-peer"), Bytes.wrap(new byte[] {1, 2, 3}));
    RestoreSummary s = Backup.restore(List.of(archive), target, RestoreOptions.replace());
    assertEquals(1, s.removed());
    assertEquals(java.util.Set.of(shared, other), Fixtures.plainIds(target));
    assertTrue(target.loadRange(StorageKey.of(shared.toString(), "sync-state")).isEmpty());
    try (Repo r = Fixtures.repo(target)) {
      assertNotEquals(oldId, r.storageId().orElseThrow().value());
      assertEquals(Optional.of(ScalarValue.of("from the backup")), r.find(shared).whenReady().join().doc().get(ObjId.ROOT, "title"));
    }
    assertTrue(target.loadRange(StorageKey.of(stranger.toString())).isEmpty());
  }

  @Test
  void aRestoreWhoseWritesFailPartWayLeavesTheTargetAsItWas() {
    Path later = dir.resolve("later.loambak");
    try (Repo source = Fixtures.repo(copyOf(sourceStorage))) {
      Fixtures.put(source.find(shared).whenReady().join(), "more", "changes");
      Fixtures.put(source.create(), "n", "new document");
      Backup.create(BackupSource.of(source), later, CreateOptions.full());
    }
    for (RestoreOptions mode : List.of(RestoreOptions.merge(), RestoreOptions.replace())) {
      FailingStorage counting = new FailingStorage(divergedTarget(), Integer.MAX_VALUE);
      Backup.restore(List.of(later), counting, mode);
      int saves = counting.writes.get();
      assertTrue(saves >= 2, mode.mode() + " saves " + saves);
      for (int failAt = 1; failAt <= saves; failAt++) {
        InMemoryStorageAdapter inner = divergedTarget();
        Map<StorageKey, String> before = Fixtures.contents(inner);
        FailingStorage target = new FailingStorage(inner, failAt);
        assertThrows(StorageException.class, () -> Backup.restore(List.of(later), target, mode), mode.mode() + " " + failAt);
        assertEquals(before, Fixtures.contents(inner), mode.mode() + ", failing from save " + failAt + " of " + saves);
      }
    }
  }

  /** A copy of the source whose shared document diverged and that holds a document the backup lacks. */
  private InMemoryStorageAdapter divergedTarget() {
    InMemoryStorageAdapter inner = copyOf(sourceStorage);
    try (Repo r = Fixtures.repo(inner)) {
      Fixtures.put(r.find(shared).whenReady().join(), "title", "diverged");
      Fixtures.put(r.create(), "n", "a stranger");
    }
    return inner;
  }

  private static InMemoryStorageAdapter copyOf(StorageAdapter storage) {
    InMemoryStorageAdapter copy = new InMemoryStorageAdapter();
    for (Chunk c : storage.loadRange(StorageKey.EMPTY)) {
      copy.save(c.key(), c.data());
    }
    return copy;
  }

  /** Storage whose n-th save and every later one fails, as a full disk would (removing still works: it frees space). */
  private static final class FailingStorage implements StorageAdapter {
    private final StorageAdapter inner;
    private final AtomicInteger writes = new AtomicInteger();
    private final int failAt;

    FailingStorage(StorageAdapter inner, int failAt) {
      this.inner = inner;
      this.failAt = failAt;
    }

    private void save() {
      if (writes.incrementAndGet() >= failAt) {
        throw new StorageException("no space left on device (write " + writes.get() + ")");
      }
    }

    @Override
    public Optional<Bytes> load(StorageKey key) {
      return inner.load(key);
    }

    @Override
    public void save(StorageKey key, Bytes data) {
      save();
      inner.save(key, data);
    }

    @Override
    public void remove(StorageKey key) {
      inner.remove(key);
    }

    @Override
    public List<Chunk> loadRange(StorageKey prefix) {
      return inner.loadRange(prefix);
    }

    @Override
    public void removeRange(StorageKey prefix) {
      inner.removeRange(prefix);
    }
  }
}
