package dev.loam.sync;

import static dev.loam.sync.SyncTesting.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Document;
import dev.loam.internal.doc.Engines;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Two peers edit and sync over a channel that drops, duplicates and reorders messages; once the
 * channel recovers and both reconnect (a new state from the persisted one, as Automerge users do),
 * they converge. Seeds: {@code LOAM_TEST_SEED}, or {@code -Dloam.seeds=N} (default 200).
 */
class LossyNetworkSyncTest {

  /** One direction of the lossy channel. */
  private static final class Link {
    final List<byte[]> queue = new ArrayList<>();
  }

  @Test
  void peers_converge_once_delivery_recovers_after_drops_duplicates_and_reordering() {
    SyncTesting.forEachSeed(SyncTesting.seeds(200), LossyNetworkSyncTest::run);
  }

  private static void run(long seed) {
    Random r = new Random(seed);
    Document[] docs = new Document[2];
    docs[0] = SyncTesting.base(r);
    SyncTesting.edit(docs[0], r, r.nextInt(20));
    docs[1] = r.nextInt(4) == 0 ? SyncTesting.newDoc(r) : SyncTesting.fork(docs[0], r);
    SyncState[] states = {new SyncState(), new SyncState()};
    Link[] links = {new Link(), new Link()}; // links[i] carries messages to peer i
    double drop = r.nextDouble() * 0.4;
    double dup = r.nextDouble() * 0.3;
    int steps = 20 + r.nextInt(60);
    for (int step = 0; step < steps; step++) {
      int p = r.nextInt(2);
      switch (r.nextInt(4)) {
        case 0 -> SyncTesting.edit(docs[p], r, 1 + r.nextInt(3));
        case 1 -> {
          Optional<SyncMessage> m = Sync.generateSyncMessage(docs[p], states[p]);
          if (m.isPresent() && r.nextDouble() >= drop) {
            byte[] bytes = m.get().encode();
            Link to = links[1 - p];
            to.queue.add(r.nextInt(to.queue.size() + 1), bytes); // reorder
            if (r.nextDouble() < dup) {
              to.queue.add(r.nextInt(to.queue.size() + 1), bytes);
            }
          }
        }
        default -> {
          if (!links[p].queue.isEmpty()) {
            byte[] bytes = links[p].queue.remove(r.nextInt(links[p].queue.size()));
            Sync.receiveSyncMessage(docs[p], states[p], bytes);
          }
        }
      }
    }
    // the connection drops and comes back: in-flight messages are lost, states restart from their persisted form
    for (int i = 0; i < 2; i++) {
      links[i].queue.clear();
      states[i] = r.nextBoolean() ? SyncState.decode(states[i].encode()) : new SyncState();
    }
    int orphans = Engines.of(docs[0]).queuedCount() + Engines.of(docs[1]).queuedCount();
    int lacking = orphans == 0 ? 0 : lacking(docs[0], docs[1]) + lacking(docs[1], docs[0]);
    SyncTesting.Session s = SyncTesting.syncPair(docs[0], states[0], docs[1], states[1], 40 + 2 * lacking);
    assertSame(docs[0], docs[1]);
    // As in Automerge, a peer holding changes whose dependencies are missing asks for the chain
    // behind them one hash per round trip (and withholds its Bloom filter meanwhile).
    assertTrue(s.messages() <= 12 + 2 * lacking, "messages after reconnect: " + s.messages() + ", orphans " + orphans);
  }

  /** How many of {@code from}'s changes {@code to} lacks. */
  private static int lacking(Document from, Document to) {
    int n = 0;
    for (var c : from.changes()) {
      if (to.change(c.hash()).isEmpty()) {
        n++;
      }
    }
    return n;
  }
}
