package dev.loam.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Document;
import dev.loam.LoadResult;
import dev.loam.internal.doc.Engines;
import org.junit.jupiter.api.Test;

/** Automerge's benchmark sync message: a v1 message with many change chunks. */
class SlowSyncMessageTest {
  @Test
  void the_upstream_slow_sync_message_decodes_reencodes_and_applies() {
    byte[] bytes = SyncTesting.fixture("upstream-rust/real-world/slowSyncMessage.amrgsync");
    SyncMessage m = SyncMessage.decode(bytes);
    assertEquals(SyncMessage.Version.V1, m.version());
    assertTrue(m.changes().size() > 100, "changes: " + m.changes().size());
    assertArrayEquals(bytes, m.encode());

    Document d = Document.create();
    SyncState s = new SyncState();
    Sync.receiveSyncMessage(d, s, bytes);
    int applied = d.changes().size();
    int queued = Engines.of(d).queuedCount();
    System.out.println("slowSyncMessage: " + m + "; applied " + applied + ", waiting " + queued);
    assertEquals(m.changes().size(), applied + queued);

    Document viaLoad = Document.create();
    LoadResult r = viaLoad.loadIncremental(m.joinedChanges());
    assertEquals(viaLoad.heads(), d.heads());
    assertEquals(viaLoad.toJson(), d.toJson());
    assertEquals(r.pending(), queued);
  }
}
