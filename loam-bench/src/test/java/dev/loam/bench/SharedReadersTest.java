package dev.loam.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Bytes;
import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.sync.Sync;
import dev.loam.sync.SyncMessage;
import dev.loam.sync.SyncState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SharedReaders} against stock sync peers: a server document (with concurrent edits merged
 * in from a second writer) syncs with several readers over queues delivered in a random order,
 * each reader both a real Loam peer (its own {@link Document} and {@link SyncState}) and a
 * memoized position; every reply of the memoized reader must be byte-equal to the real one's, and
 * readers reconnect now and then (a fresh start). Rounds in lockstep now and then bring readers
 * whose histories differ back to one state, so that positions are merged as well as shared. Seeded: LOAM_TEST_SEED runs that one seed, else
 * 0 to loam.seeds - 1.
 */
class SharedReadersTest {
  static Stream<Long> seeds() {
    String one = System.getenv("LOAM_TEST_SEED");
    return one != null ? Stream.of(Long.parseLong(one))
        : LongStream.range(0, Math.min(100, Long.getLong("loam.seeds", 20))).boxed();
  }

  /** One reader: the real peer, the memoized position, and the two directions of its connection. */
  private static final class Reader {
    Document doc = Document.create();
    SyncState state = new SyncState();
    SharedReaders.Position at;
    SyncState serverSide = new SyncState();
    final ArrayDeque<byte[]> toReader = new ArrayDeque<>();
    final ArrayDeque<byte[]> toServer = new ArrayDeque<>();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void memoizedRepliesAreTheBytesAStockPeerSends(long seed) {
    String ctx = "seed " + seed + " (rerun with LOAM_TEST_SEED=" + seed + ")";
    Random random = new Random(seed);
    Document server = Document.create();
    ObjId[] made = new ObjId[1];
    server.transact(tx -> made[0] = tx.putObject(ObjId.ROOT, "text", ObjType.TEXT));
    ObjId text = made[0];
    Document other = server.fork();
    SharedReaders memo = new SharedReaders();
    List<Reader> readers = new ArrayList<>();
    int n = 2 + random.nextInt(8);
    for (int i = 0; i < n; i++) {
      Reader r = new Reader();
      start(memo, r, ctx);
      readers.add(r);
    }
    long replies = 0;
    for (int step = 0; step < 600; step++) {
      String at = ctx + ", step " + step;
      double p = random.nextDouble();
      Reader r = readers.get(random.nextInt(n));
      if (p < 0.12) {
        type(server, text, random);
      } else if (p < 0.17) {
        type(other, text, random);
        if (random.nextBoolean()) {
          server.merge(other);
        } else {
          other.merge(server);
        }
      } else if (p < 0.27) { // a round in lockstep: readers in one state get the same bytes, and share steps
        for (Reader each : readers) {
          Sync.generateSyncMessage(server, each.serverSide).ifPresent(m -> each.toReader.add(m.encode()));
        }
        for (Reader each : readers) {
          while (!each.toReader.isEmpty()) {
            replies += deliver(memo, each, each.toReader.poll(), at);
          }
        }
        for (Reader each : readers) {
          while (!each.toServer.isEmpty()) {
            Sync.receiveSyncMessage(server, each.serverSide, each.toServer.poll());
          }
        }
      } else if (p < 0.45) {
        Sync.generateSyncMessage(server, r.serverSide).ifPresent(m -> r.toReader.add(m.encode()));
      } else if (p < 0.75) {
        if (!r.toReader.isEmpty()) {
          replies += deliver(memo, r, r.toReader.poll(), at);
        }
      } else if (p < 0.97) {
        if (!r.toServer.isEmpty()) {
          Sync.receiveSyncMessage(server, r.serverSide, r.toServer.poll());
          Sync.generateSyncMessage(server, r.serverSide).ifPresent(m -> r.toReader.add(m.encode()));
        }
      } else { // the reader reconnects: a fresh peer on a fresh connection
        memo.leave(r.at);
        r.doc = Document.create();
        r.state = new SyncState();
        r.serverSide = new SyncState();
        r.toReader.clear();
        r.toServer.clear();
        start(memo, r, at);
      }
      assertTrue(memo.counts()[2] <= n + 1, () -> at + ": positions are dropped when no reader is at them: "
          + memo.counts()[2] + " held for " + n + " readers");
    }
    // drain: every reader reaches the server's heads (the exchange above was a working sync)
    for (int round = 0; round < 50; round++) {
      for (Reader r : readers) {
        Sync.generateSyncMessage(server, r.serverSide).ifPresent(m -> r.toReader.add(m.encode()));
        while (!r.toReader.isEmpty() || !r.toServer.isEmpty()) {
          if (!r.toReader.isEmpty()) {
            replies += deliver(memo, r, r.toReader.poll(), ctx + ", draining");
          }
          if (!r.toServer.isEmpty()) {
            Sync.receiveSyncMessage(server, r.serverSide, r.toServer.poll());
            Sync.generateSyncMessage(server, r.serverSide).ifPresent(m -> r.toReader.add(m.encode()));
          }
        }
      }
    }
    for (Reader r : readers) {
      assertEquals(server.heads(), r.doc.heads(), ctx + ": a reader ends at the server's heads");
    }
    assertTrue(replies > 0, ctx + ": readers replied");
    long[] counts = memo.counts();
    assertTrue(counts[1] < counts[0], ctx + ": readers shared steps (" + counts[1] + " computed of " + counts[0] + ")");
    assertTrue(counts[3] > 0, ctx + ": readers with different histories met in one state");
  }

  private static void start(SharedReaders memo, Reader r, String ctx) {
    SharedReaders.Step s = memo.start();
    Optional<Bytes> real = Sync.generateSyncMessage(r.doc, r.state).map(m -> Bytes.wrap(m.encode()));
    assertEquals(real, s.reply(), ctx + ": the opening message");
    r.at = s.to();
    real.ifPresent(b -> r.toServer.add(b.toByteArray()));
  }

  private static int deliver(SharedReaders memo, Reader r, byte[] message, String ctx) {
    Sync.receiveSyncMessage(r.doc, r.state, message);
    Optional<Bytes> real = Sync.generateSyncMessage(r.doc, r.state).map(m -> Bytes.wrap(m.encode()));
    SharedReaders.Step s = memo.receive(r.at, message);
    assertEquals(real, s.reply(), ctx + ": the reply to " + SyncMessage.decode(message));
    assertEquals(SyncMessage.decode(message).heads(), s.theirHeads(), ctx);
    assertEquals(r.doc.heads().hashes().containsAll(s.theirHeads()), s.holdsTheirHeads(), ctx);
    r.at = s.to();
    real.ifPresent(b -> r.toServer.add(b.toByteArray()));
    return real.isPresent() ? 1 : 0;
  }

  private static void type(Document d, ObjId text, Random random) {
    int len = d.length(text);
    d.transact(tx -> tx.spliceText(text, random.nextInt(len + 1), 0, String.valueOf((char) ('a' + random.nextInt(26)))));
  }
}
