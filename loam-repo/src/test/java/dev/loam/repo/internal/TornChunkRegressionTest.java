package dev.loam.repo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ActorId;
import dev.loam.Bytes;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.spi.StorageKey;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Regression: a torn chunk sorted between good chunks declared a body longer than everything after
 * it, so the concatenated load took it for a torn tail and silently dropped the good chunks after
 * it (found by StorageSubsystemDurabilityTest under concurrent failures). Loading must then fall
 * back to loading chunk by chunk.
 */
class TornChunkRegressionTest {
  @Test
  void aTornChunkInTheMiddleDoesNotHideTheChunksAfterIt() {
    DocumentId id = DocumentId.random(new Random(7));
    Document doc = Document.create(ActorId.fromHex("01"));
    doc.put(ObjId.ROOT, "a", 1);
    doc.commit();
    byte[] snapshot = doc.save();
    Heads afterSnapshot = doc.heads();
    // a big change whose chunk will be torn, and a small one that must survive
    Document big = doc.fork();
    big.putText(ObjId.ROOT, "big", "x".repeat(5000));
    big.commit();
    byte[] bigChunk = big.saveSince(afterSnapshot);
    doc.put(ObjId.ROOT, "b", 2);
    doc.commit();
    byte[] small = doc.saveSince(afterSnapshot);
    ChangeHash smallHead = doc.heads().hashes().get(0);

    InMemoryStorageAdapter disk = new InMemoryStorageAdapter();
    String doc0 = id.toString();
    disk.save(StorageKey.of(doc0, "snapshot", "0".repeat(64)), Bytes.wrap(snapshot));
    disk.save(StorageKey.of(doc0, "incremental", "1".repeat(64)), Bytes.wrap(Arrays.copyOf(bigChunk, 40)));
    disk.save(StorageKey.of(doc0, "incremental", "2".repeat(64)), Bytes.wrap(small));

    Document loaded = new StorageSubsystem(disk).loadDoc(id).orElseThrow();
    assertTrue(loaded.change(smallHead).isPresent(), "the good chunk after the torn one was lost");
    assertEquals("{\"a\":1,\"b\":2}", loaded.toJson());
  }
}
