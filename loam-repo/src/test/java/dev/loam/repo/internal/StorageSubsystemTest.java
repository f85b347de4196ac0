package dev.loam.repo.internal;

import dev.loam.Bytes;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.id.StorageId;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageKey;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.sync.SyncState;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageSubsystemTest {
  private final InMemoryStorageAdapter disk = new InMemoryStorageAdapter();
  private final StorageSubsystem storage = new StorageSubsystem(disk);
  private final DocumentId id = DocumentId.random(new Random(1));

  private List<Chunk> chunks(String type) {
    return disk.loadRange(StorageKey.of(id.toString(), type));
  }

  private static void edit(Document doc, int i) {
    doc.put(ObjId.ROOT, "k" + (i % 4), ScalarValue.of("value number " + i + " ".repeat(i % 50)));
    doc.commit();
  }

  @Test
  void theFirstSaveIsOneSnapshotKeyedByTheHeadsHash() {
    Document doc = Document.create();
    edit(doc, 0);
    storage.saveDoc(id, doc);
    List<Chunk> snapshots = chunks("snapshot");
    assertEquals(1, snapshots.size());
    assertEquals(StorageKey.of(id.toString(), "snapshot", StorageSubsystem.headsHash(doc.heads())), snapshots.get(0).key());
    assertTrue(chunks("incremental").isEmpty());
  }

  @Test
  void theHeadsHashIsSha256OfTheConcatenatedHexHeads() {
    ChangeHash a = ChangeHash.fromHex("51c079da5a4e1e1fc344a09d549714beffb716cfe68fa16897c2f46d3ef89619");
    ChangeHash b = ChangeHash.fromHex("8bbc1a968062aba775668a94a5b04638901244acfe38c34fa38b673de7f27862");
    assertEquals(StorageSubsystem.keyHash((a.hex() + b.hex()).getBytes(StandardCharsets.UTF_8)), StorageSubsystem.headsHash(Heads.of(b, a)));
    // sha256("") for a document with no changes, as JS computes it
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", StorageSubsystem.headsHash(Heads.EMPTY));
  }

  @Test
  void laterSavesAreIncrementalUntilTheyOutweighTheSnapshot() {
    Document doc = Document.create();
    Random random = new Random(5);
    for (int i = 0; i < 60; i++) {
      doc.put(ObjId.ROOT, "big" + i, ScalarValue.of(Long.toString(random.nextLong(), 36) + Long.toString(random.nextLong(), 36)));
    }
    doc.commit();
    storage.saveDoc(id, doc);
    int snapshotSize = chunks("snapshot").get(0).data().size();
    assertTrue(snapshotSize >= StorageSubsystem.SMALL_SNAPSHOT, "a big enough snapshot: " + snapshotSize);
    edit(doc, 1);
    storage.saveDoc(id, doc);
    assertEquals(1, chunks("incremental").size());
    int saves = 1;
    while (!chunks("incremental").isEmpty()) {
      edit(doc, ++saves);
      storage.saveDoc(id, doc);
      assertTrue(saves < 1000, "compaction happens");
    }
    assertEquals(1, chunks("snapshot").size(), "compaction removed what the new snapshot replaced");
    assertEquals(doc.heads(), new StorageSubsystem(disk).loadDoc(id).orElseThrow().heads());
  }

  @Test
  void savingUnchangedHeadsWritesNothing() {
    Document doc = Document.create();
    edit(doc, 0);
    storage.saveDoc(id, doc);
    List<Chunk> before = disk.loadRange(StorageKey.EMPTY);
    storage.saveDoc(id, doc);
    assertEquals(before.size(), disk.loadRange(StorageKey.EMPTY).size());
  }

  @Test
  void aLeftoverSnapshotAndItsIncrementalsLoadTogether() {
    // As a process that died after compaction wrote its snapshot but before it removed anything.
    Document doc = Document.create();
    edit(doc, 0);
    storage.saveDoc(id, doc);
    Heads first = doc.heads();
    for (int i = 1; i < 5; i++) {
      edit(doc, i);
      disk.save(StorageKey.of(id.toString(), "incremental", "i" + i), Bytes.wrap(doc.saveSince(first)));
    }
    disk.save(StorageKey.of(id.toString(), "snapshot", StorageSubsystem.headsHash(doc.heads())), Bytes.wrap(doc.save()));
    Document loaded = new StorageSubsystem(disk).loadDoc(id).orElseThrow();
    assertEquals(doc.heads(), loaded.heads());
    assertEquals(doc.toJson(), loaded.toJson());
  }

  @Test
  void anUnreadableChunkIsSkippedAndTheRestLoads() {
    Document doc = Document.create();
    edit(doc, 0);
    storage.saveDoc(id, doc);
    Heads good = doc.heads();
    edit(doc, 1);
    byte[] change = doc.saveSince(good);
    byte[] corrupt = Arrays.copyOf(change, change.length);
    corrupt[corrupt.length / 2] ^= 0x5a;
    disk.save(StorageKey.of(id.toString(), "incremental", "0-corrupt"), Bytes.wrap(corrupt));
    disk.save(StorageKey.of(id.toString(), "incremental", "1-torn"), Bytes.wrap(Arrays.copyOf(change, change.length / 2)));
    Document loaded = new StorageSubsystem(disk).loadDoc(id).orElseThrow();
    assertTrue(loaded.change(good.hashes().get(0)).isPresent());
  }

  @Test
  void theStorageIdIsCreatedOnceAndKeptAsUtf8() {
    StorageId sid = storage.id();
    assertEquals(sid, storage.id());
    assertEquals(sid.value(), new String(disk.load(StorageKey.of("storage-adapter-id")).orElseThrow().toByteArray(), StandardCharsets.UTF_8));
    assertEquals(sid, new StorageSubsystem(disk).id());
  }

  @Test
  void syncStatesAreKeptPerPeerStorageAndRemovedWithTheDocument() {
    StorageId peer = StorageId.random(new Random(2));
    assertTrue(storage.loadSyncState(id, peer).isEmpty());
    storage.saveSyncState(id, peer, new SyncState());
    assertTrue(disk.load(StorageKey.of(id.toString(), "sync-state", peer.value())).isPresent());
    assertTrue(storage.loadSyncState(id, peer).isPresent());
    disk.save(StorageKey.of(id.toString(), "sync-state", "garbage"), Bytes.wrap(new byte[] {1, 2, 3}));
    assertTrue(storage.loadSyncState(id, StorageId.of("garbage")).isEmpty(), "an undecodable sync state reads as none");
    Document doc = Document.create();
    edit(doc, 0);
    storage.saveDoc(id, doc);
    storage.removeDoc(id);
    assertTrue(disk.loadRange(StorageKey.of(id.toString())).isEmpty());
    assertTrue(storage.loadDoc(id).isEmpty());
  }
}
