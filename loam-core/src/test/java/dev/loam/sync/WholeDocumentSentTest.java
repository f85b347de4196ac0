package dev.loam.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.LoadResult;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A whole document sent to an empty peer counts as sent by its heads (not by a hash per change)
 * until the peer has them: what is sent next is only what the document did not hold.
 */
class WholeDocumentSentTest {

  @Test
  void a_document_in_flight_is_not_sent_again_and_its_heads_are_forgotten_once_the_peer_has_them() {
    Random r = new Random(7);
    Document a = SyncTesting.base(r);
    SyncTesting.edit(a, r, 10);
    Document b = SyncTesting.fork(a, r);
    SyncTesting.edit(a, r, 300);
    Document atSend = a.fork();
    SyncState sa = new SyncState();
    SyncState sb = new SyncState();

    // a's opening message, b's answer (its heads and a filter); then more than a third of a's
    // changes go, so as the whole document
    Sync.receiveSyncMessage(b, sb, Sync.generateSyncMessage(a, sa).orElseThrow().encode());
    Sync.receiveSyncMessage(a, sa, Sync.generateSyncMessage(b, sb).orElseThrow().encode());
    SyncMessage document = Sync.generateSyncMessage(a, sa).orElseThrow();
    assertEquals(a.heads().hashes(), sa.sentDocumentHeads());
    assertTrue(sa.sentHashes().isEmpty(), "no hash per change: " + sa.sentHashes().size());

    // one more local change while the document is in flight: only that change goes
    SyncTesting.edit(a, r, 1);
    ChangeHash added = a.heads().hashes().get(0);
    SyncMessage next = Sync.generateSyncMessage(a, sa).orElseThrow();
    LoadResult applied = atSend.loadIncremental(next.joinedChanges());
    assertEquals(1, applied.applied(), "changes sent after the document");
    assertEquals(List.of(added), atSend.heads().hashes());
    assertEquals(List.of(added), List.copyOf(sa.sentHashes()));

    // the peer takes both and answers with its heads: nothing is outstanding any more
    Sync.receiveSyncMessage(b, sb, document.encode());
    Sync.receiveSyncMessage(b, sb, next.encode());
    Sync.receiveSyncMessage(a, sa, Sync.generateSyncMessage(b, sb).orElseThrow().encode());
    assertEquals(List.of(), sa.sentDocumentHeads());
    assertTrue(sa.sentHashes().isEmpty(), "acknowledged: " + sa.sentHashes());
    assertEquals(a.heads(), b.heads());
    SyncTesting.syncPair(a, sa, b, sb, 6);
    SyncTesting.assertSame(a, b);
  }

  @Test
  void a_peer_that_lost_everything_gets_the_whole_document_again() {
    Random r = new Random(8);
    Document a = SyncTesting.base(r);
    SyncTesting.edit(a, r, 50);
    SyncState sa = new SyncState();
    SyncTesting.syncPair(a, sa, SyncTesting.newDoc(r), new SyncState(), 8);

    // the peer comes back empty over the same state: its empty heads make us forget what we sent
    Document fresh = SyncTesting.newDoc(r);
    SyncTesting.syncPair(a, sa, fresh, new SyncState(), 8);
    SyncTesting.assertSame(a, fresh);
  }
}
