package dev.loam.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Bytes;
import dev.loam.Change;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.internal.doc.Engines;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A hostile peer meets typed limits, and a refused message changes nothing. */
class SyncLimitsTest {

  /** A v1 message carrying {@code changes} of {@code source} as separate chunks. */
  private static byte[] carrying(Document source, List<Change> changes) {
    List<Bytes> chunks = new ArrayList<>();
    for (Change c : changes) {
      chunks.add(c.bytes());
    }
    return new SyncMessage(SyncMessage.Version.V1, source.heads().hashes(), List.of(), List.of(), chunks,
        Optional.of(new MessageFlags(MessageFlags.SUPPORTS_SYNC_RESET))).encode();
  }

  @Test
  void changes_waiting_for_dependencies_are_capped() {
    Random r = new Random(1);
    Document source = SyncTesting.newDoc(r);
    SyncTesting.edit(source, r, 30);
    List<Change> all = source.changes();
    Document d = SyncTesting.newDoc(r);
    SyncState s = new SyncState();
    SyncLimits limits = SyncLimits.builder().maxQueuedChanges(10).build();
    // everything but the first change: 29 orphans
    byte[] orphans = carrying(source, all.subList(1, all.size()));
    SyncLimitException e = assertThrows(SyncLimitException.class, () -> Sync.receiveSyncMessage(d, s, orphans, limits));
    assertEquals(SyncLimitException.Limit.QUEUED_CHANGES, e.limit());
    assertEquals(29, e.value());
    assertEquals(0, Engines.of(d).queuedCount());
    assertTrue(s.theirHeads().isEmpty());
    // ten may wait; then the missing first change lets all of them in
    Sync.receiveSyncMessage(d, s, carrying(source, all.subList(1, 11)), limits);
    assertEquals(10, Engines.of(d).queuedCount());
    Sync.receiveSyncMessage(d, s, carrying(source, all.subList(0, 1)), limits);
    assertEquals(0, Engines.of(d).queuedCount());
    assertEquals(11, d.changes().size());
  }

  @Test
  void an_endless_stream_of_valid_changes_meets_the_document_size_limit() {
    Random r = new Random(2);
    Document source = SyncTesting.base(r);
    Document d = SyncTesting.newDoc(r);
    SyncState s = new SyncState();
    SyncLimits limits = SyncLimits.builder().maxDocumentBytes(20_000).build();
    SyncLimitException e = assertThrows(SyncLimitException.class, () -> {
      for (int i = 0; i < 1000; i++) {
        int before = source.changes().size();
        SyncTesting.edit(source, r, 20);
        Sync.receiveSyncMessage(d, s, carrying(source, source.changes().subList(i == 0 ? 0 : before, source.changes().size())), limits);
      }
    });
    assertEquals(SyncLimitException.Limit.DOCUMENT_BYTES, e.limit());
    assertTrue(Engines.of(d).historyBytes() <= 20_000);
  }

  @Test
  void oversized_messages_are_refused_before_decoding() {
    Document d = Document.create();
    SyncState s = new SyncState();
    SyncLimits limits = SyncLimits.builder().maxMessageBytes(100).build();
    byte[] big = new byte[101];
    big[0] = 0x42;
    SyncLimitException e = assertThrows(SyncLimitException.class, () -> Sync.receiveSyncMessage(d, s, big, limits));
    assertEquals(SyncLimitException.Limit.MESSAGE_BYTES, e.limit());
    assertEquals(Heads.EMPTY, d.heads());
    assertFalse(s.peerSupportsV2());
  }

  @Test
  void limits_round_trip_through_their_builder() {
    SyncLimits l = SyncLimits.builder().maxMessageBytes(5).maxQueuedChanges(0).maxDocumentBytes(7).build();
    SyncLimits copy = l.newBuilder().build();
    assertEquals(5, copy.maxMessageBytes());
    assertEquals(0, copy.maxQueuedChanges());
    assertEquals(7, copy.maxDocumentBytes());
    assertThrows(IllegalArgumentException.class, () -> SyncLimits.builder().maxMessageBytes(0));
  }
}
