package dev.loam.sync;

import static dev.loam.sync.SyncTesting.assertSame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Document;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seeded two- and three-peer sessions over a perfect channel converge, in few messages. */
class SyncConvergenceTest {

  @Test
  void an_empty_peer_receives_the_whole_document_in_one_message() {
    Random r = new Random(1);
    Document a = SyncTesting.base(r);
    SyncTesting.edit(a, r, 300);
    Document b = SyncTesting.newDoc(r);
    SyncTesting.Session s = SyncTesting.syncPair(a, new SyncState(), b, new SyncState(), 20);
    assertSame(a, b);
    assertTrue(s.messages() <= 4, "messages: " + s.messages());
  }

  @Test
  void two_empty_peers_stop_after_exchanging_heads() {
    Random r = new Random(2);
    Document a = SyncTesting.newDoc(r);
    Document b = SyncTesting.newDoc(r);
    SyncTesting.Session s = SyncTesting.syncPair(a, new SyncState(), b, new SyncState(), 20);
    assertSame(a, b);
    assertTrue(s.messages() <= 3, "messages: " + s.messages());
  }

  @Test
  void peers_that_are_already_in_sync_stop_quickly_and_a_persisted_state_makes_it_cheaper() {
    Random r = new Random(3);
    Document a = SyncTesting.base(r);
    SyncTesting.edit(a, r, 100);
    Document b = SyncTesting.fork(a, r);
    SyncState sa = new SyncState();
    SyncState sb = new SyncState();
    SyncTesting.syncPair(a, sa, b, sb, 20);
    SyncTesting.edit(a, r, 3);
    SyncState sa2 = SyncState.decode(sa.encode());
    SyncState sb2 = SyncState.decode(sb.encode());
    SyncTesting.Session s = SyncTesting.syncPair(a, sa2, b, sb2, 20);
    assertSame(a, b);
    assertTrue(s.messages() <= 4, "messages: " + s.messages());
    assertEquals(Optional.empty(), Sync.generateSyncMessage(a, sa2));
  }

  @Test
  void two_peers_with_random_divergent_histories_converge() {
    SyncTesting.forEachSeed(SyncTesting.seeds(40), seed -> {
      Random r = new Random(seed);
      Document a;
      Document b;
      switch ((int) (seed % 4)) {
        case 0 -> { // one side empty
          a = SyncTesting.base(r);
          SyncTesting.edit(a, r, r.nextInt(200));
          b = SyncTesting.newDoc(r);
        }
        case 1 -> { // disjoint histories
          a = SyncTesting.base(r);
          b = SyncTesting.base(r);
          SyncTesting.edit(a, r, r.nextInt(100));
          SyncTesting.edit(b, r, r.nextInt(100));
        }
        default -> { // concurrent branches from a common ancestor
          a = SyncTesting.base(r);
          SyncTesting.edit(a, r, r.nextInt(100));
          b = SyncTesting.fork(a, r);
          SyncTesting.edit(a, r, r.nextInt(150));
          SyncTesting.edit(b, r, r.nextInt(150));
        }
      }
      SyncState sa = new SyncState();
      SyncState sb = new SyncState();
      SyncTesting.Session s = SyncTesting.syncPair(a, sa, b, sb, 40);
      assertSame(a, b);
      assertTrue(s.messages() <= 12, "messages: " + s.messages());
      assertEquals(a.heads().hashes(), sa.sharedHeads());
      assertEquals(b.heads().hashes(), sb.sharedHeads());
    });
  }

  @Test
  void long_concurrent_branches_of_thousands_of_changes_converge() {
    Random r = new Random(4);
    Document a = SyncTesting.base(r);
    SyncTesting.edit(a, r, 500);
    Document b = SyncTesting.fork(a, r);
    SyncTesting.edit(a, r, 2000);
    SyncTesting.edit(b, r, 1500);
    SyncTesting.Session s = SyncTesting.syncPair(a, new SyncState(), b, new SyncState(), 40);
    assertSame(a, b);
    System.out.println("long branches: " + s);
    assertTrue(s.messages() <= 12, "messages: " + s.messages());
  }

  @Test
  void long_concurrent_branches_with_a_small_divergence_send_only_the_difference() {
    Random r = new Random(5);
    Document a = SyncTesting.base(r);
    SyncTesting.edit(a, r, 3000);
    Document b = SyncTesting.fork(a, r);
    SyncTesting.edit(a, r, 20);
    SyncTesting.edit(b, r, 30);
    SyncTesting.Session s = SyncTesting.syncPair(a, new SyncState(), b, new SyncState(), 40);
    assertSame(a, b);
    System.out.println("small divergence on 3000 changes: " + s);
    assertTrue(s.messages() <= 12, "messages: " + s.messages());
    assertTrue(s.bytes() < a.saveChanges().length / 4, "bytes: " + s.bytes());
  }

  @Test
  void three_peers_with_random_histories_converge_pairwise() {
    SyncTesting.forEachSeed(SyncTesting.seeds(15), seed -> {
      Random r = new Random(seed);
      Document root = SyncTesting.base(r);
      SyncTesting.edit(root, r, r.nextInt(50));
      Document[] docs = {SyncTesting.fork(root, r), SyncTesting.fork(root, r), SyncTesting.newDoc(r)};
      SyncTesting.edit(docs[0], r, r.nextInt(100));
      SyncTesting.edit(docs[1], r, r.nextInt(100));
      SyncTesting.edit(docs[2], r, r.nextInt(30));
      SyncState[][] states = new SyncState[3][3];
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          states[i][j] = new SyncState();
        }
      }
      int messages = 0;
      boolean quiet = false;
      while (!quiet) {
        quiet = true;
        for (int i = 0; i < 3; i++) {
          for (int j = 0; j < 3; j++) {
            if (i == j) {
              continue;
            }
            Optional<SyncMessage> m = Sync.generateSyncMessage(docs[i], states[i][j]);
            if (m.isPresent()) {
              quiet = false;
              messages++;
              Sync.receiveSyncMessage(docs[j], states[j][i], m.get().encode());
            }
          }
        }
        assertTrue(messages < 100, "messages: " + messages);
      }
      assertSame(docs[0], docs[1]);
      assertSame(docs[1], docs[2]);
    });
  }
}
