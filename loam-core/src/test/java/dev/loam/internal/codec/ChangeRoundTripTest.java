package dev.loam.internal.codec;

import static org.junit.jupiter.api.Assertions.*;

import dev.loam.ActorId;
import dev.loam.Bytes;
import dev.loam.ChangeHash;
import dev.loam.ScalarValue;
import dev.loam.internal.change.Actions;
import dev.loam.internal.change.ChangeOp;
import dev.loam.internal.change.ChangeMeta;
import dev.loam.internal.change.StoredChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChangeRoundTripTest {
  static final String[] LOADABLE = {
    "upstream-rust/fixtures/two_change_chunks.automerge",
    "upstream-rust/fixtures/two_change_chunks_compressed.automerge",
    "upstream-rust/fixtures/counter_value_is_ok.automerge",
    "upstream-rust/real-world/brave-ape-49.automerge",
    "upstream-rust/real-world/monday-meeting-notes.automerge",
    "upstream-rust/real-world/webstraits.amrg",
    "upstream-rust/real-world/godot-modeled.amrg",
    "upstream-rust/real-world/stephen.amrg",
    "go-automerge-testdata/scalars.automerge",
    "go-automerge-testdata/concurrent_edits.automerge",
    "js-generated/basic.change.bin",
    "js-generated/concurrent.changes.bin",
    "js-generated/marks-scalars.changes.bin",
    "js-generated/marks-scalars.doc.automerge",
    "js-generated/longtext.doc.automerge",
    "js-generated/incremental.concat.automerge",
  };

  @Test
  void storedChangesAreEqualWhenTheirChunksAreTheSameBytes() {
    List<StoredChange> changes = Fixtures.load(Fixtures.bytes("js-generated/concurrent.changes.bin")).changes();
    StoredChange first = changes.get(0);
    StoredChange again = ChangeChunk.decode(first.chunk().clone());
    assertNotSame(first.chunk(), again.chunk());
    assertEquals(first, again);
    assertEquals(first.hashCode(), again.hashCode());
    assertNotEquals(first, changes.get(1));
    assertEquals(first.meta(), again.meta(), "metadata is a value too (extra bytes as Bytes)");
  }

  @Test
  void changeMetaStoresAnEmptyMessageAsNone() {
    ChangeMeta meta = new ChangeMeta(List.of(ActorId.fromHex("aaaa")), 1, 1, 0, "", List.of(), Bytes.EMPTY);
    assertNull(meta.message());
  }

  @Test
  void everyFixtureChangeReencodesToIdenticalBytes() {
    int n = 0;
    for (String f : LOADABLE) {
      for (StoredChange c : Fixtures.load(Fixtures.bytes(f)).changes()) {
        StoredChange again = reencode(c);
        assertArrayEquals(c.chunk(), again.chunk(), f + " change " + c.hash());
        assertTrue(Fixtures.sameChange(c, again), f + " change " + c.hash());
        StoredChange decoded = ChangeChunk.decode(c.chunk());
        assertTrue(Fixtures.sameChange(c, decoded), f + " decode of " + c.hash());
        n++;
      }
    }
    assertTrue(n > 15_000);
  }

  @Test
  void deflatedChangeHasTheHashOfItsUncompressedTwin() {
    var plain = Fixtures.load(Fixtures.bytes("upstream-rust/fixtures/two_change_chunks.automerge"));
    var packed = Fixtures.load(Fixtures.bytes("upstream-rust/fixtures/two_change_chunks_compressed.automerge"));
    assertTrue(packed.chunks().stream().anyMatch(c -> c.type() == ChunkType.DEFLATED_CHANGE));
    assertEquals(plain.heads(), packed.heads());
  }

  private static StoredChange reencode(StoredChange c) {
    return ChangeChunk.encode(c.meta(), c.ops());
  }

  @Test
  void randomChangesRoundTripAndCanonicaliseActorsPredsAndDeps() {
    for (long seed : Fixtures.seeds()) {
      Random rnd = new Random(seed);
      for (int t = 0; t < 50; t++) {
        List<ActorId> actors = new ArrayList<>();
        for (int i = 0; i < 1 + rnd.nextInt(5); i++) {
          actors.add(ActorId.random(rnd));
        }
        long startOp = 1 + rnd.nextInt(1000);
        List<ChangeOp> ops = new ArrayList<>();
        int nOps = rnd.nextInt(20);
        for (int i = 0; i < nOps; i++) {
          int np = rnd.nextInt(3);
          long[] pc = new long[np];
          int[] pa = new int[np];
          for (int k = 0; k < np; k++) {
            pc[k] = 1 + rnd.nextInt(5); // collisions exercise the actor tie-break
            pa[k] = rnd.nextInt(actors.size());
          }
          boolean map = rnd.nextBoolean();
          int action = rnd.nextInt(8);
          ScalarValue v = action == Actions.INC ? ScalarValue.of(rnd.nextInt(9) - 4)
              : action == Actions.SET ? ScalarValue.of("v" + rnd.nextInt(3)) : ScalarValue.NULL;
          boolean head = !map && rnd.nextBoolean();
          ops.add(new ChangeOp(
              rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(50), -1, map ? "k" + rnd.nextInt(3) : null,
              map || head ? 0 : 1 + rnd.nextInt(50), map || head ? -1 : rnd.nextInt(actors.size()),
              !map && rnd.nextBoolean(), action, v, pc, pa, rnd.nextInt(5) == 0,
              action == Actions.MARK && rnd.nextBoolean() ? "bold" : null));
          if (ops.get(i).objCtr() != 0) {
            ChangeOp o = ops.get(i);
            ops.set(i, new ChangeOp(o.objCtr(), rnd.nextInt(actors.size()), o.key(), o.elemCtr(), o.elemActor(),
                o.insert(), o.action(), o.value(), o.predCtr(), o.predActor(), o.expand(), o.markName()));
          }
        }
        dedupePreds(ops);
        List<ChangeHash> deps = new ArrayList<>();
        for (int i = 0; i < rnd.nextInt(3); i++) {
          byte[] h = new byte[32];
          rnd.nextBytes(h);
          deps.add(ChangeHash.of(h));
        }
        byte[] extra = rnd.nextInt(4) == 0 ? new byte[] {1, 2, 3} : new byte[0];
        String message = rnd.nextBoolean() ? null : rnd.nextBoolean() ? "" : "msg é";
        StoredChange enc = ChangeChunk.encode(
            new ChangeMeta(actors, rnd.nextInt(100) + 1, startOp, rnd.nextLong() >> 8, message, deps, Bytes.of(extra)), ops);
        StoredChange dec = ChangeChunk.decode(enc.chunk());
        assertTrue(Fixtures.sameChange(enc, dec), "seed " + seed + " case " + t);
        assertEquals(enc.hash(), ChunkReader.hashOf(enc.chunk(), 8, enc.chunk().length), "seed " + seed);
        assertArrayEquals(enc.chunk(), reencode(dec).chunk(), "seed " + seed);
        // canonical form: sorted others, sorted deps, sorted preds; empty message is none
        List<ActorId> others = enc.actors().subList(1, enc.actors().size());
        assertEquals(others.stream().sorted().toList(), others, "seed " + seed);
        assertEquals(enc.deps().stream().sorted().toList(), enc.deps(), "seed " + seed);
        assertTrue(message == null || message.isEmpty() ? enc.message() == null : message.equals(enc.message()));
        for (ChangeOp op : enc.ops()) {
          for (int k = 1; k < op.predCount(); k++) {
            assertTrue(ChangeChunk.compareOpId(op.predCtr()[k - 1], enc.actors().get(op.predActor()[k - 1]),
                op.predCtr()[k], enc.actors().get(op.predActor()[k])) < 0, "seed " + seed);
          }
        }
      }
    }
  }

  /** Drops duplicate pred ids, which no real change has. */
  private static void dedupePreds(List<ChangeOp> ops) {
    for (int i = 0; i < ops.size(); i++) {
      ChangeOp o = ops.get(i);
      List<long[]> seen = new ArrayList<>();
      for (int k = 0; k < o.predCount(); k++) {
        long[] id = {o.predCtr()[k], o.predActor()[k]};
        if (seen.stream().noneMatch(s -> s[0] == id[0] && s[1] == id[1])) {
          seen.add(id);
        }
      }
      long[] pc = seen.stream().mapToLong(s -> s[0]).toArray();
      int[] pa = seen.stream().mapToInt(s -> (int) s[1]).toArray();
      ops.set(i, new ChangeOp(o.objCtr(), o.objActor(), o.key(), o.elemCtr(), o.elemActor(), o.insert(),
          o.action(), o.value(), pc, pa, o.expand(), o.markName()));
    }
  }
}
