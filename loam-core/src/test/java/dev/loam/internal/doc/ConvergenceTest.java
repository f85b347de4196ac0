package dev.loam.internal.doc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ActorId;
import dev.loam.Change;
import dev.loam.ChangeHash;
import dev.loam.Document;
import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.RandomEditor;
import dev.loam.Seeds;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replicas with fixed actors edit concurrently and exchange their changes in random orders and
 * batches, with duplicates and out-of-order delivery (so changes queue for missing
 * dependencies); in the end every replica holds the same state. Each local transaction is checked
 * against a plain list/text model, the op set's invariants are checked after every step, and past
 * states recorded during the run must read back identically through {@code toJson(heads)} and
 * {@code fork(heads)}.
 */
class ConvergenceTest {
  /** Actors of different lengths, so byte order and length order disagree. */
  private static final ActorId[] ACTORS = {
      ActorId.fromHex("01"), ActorId.fromHex("0100ff"), ActorId.fromHex("02"),
      ActorId.fromHex("ff00"), ActorId.fromHex("0101010101010101")};

  @TestFactory
  Stream<DynamicTest> replicasConvergeWhateverOrderTheyReceiveChangesIn() {
    return Seeds.tests("convergence", ConvergenceTest::run);
  }

  static void run(long seed) {
    Random rnd = new Random(seed);
    int n = 2 + rnd.nextInt(4);
    InstantSource clock = InstantSource.fixed(Instant.ofEpochSecond(1_700_000_000L + seed));
    List<Document> reps = new ArrayList<>();
    List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3, 4));
    Collections.shuffle(order, rnd);
    for (int i = 0; i < n; i++) {
      reps.add(Document.create(ACTORS[order.get(i)], clock));
    }
    RandomEditor editor = new RandomEditor(rnd);
    Map<ChangeHash, byte[]> pool = new LinkedHashMap<>();
    Map<Heads, String> past = new LinkedHashMap<>();
    past.put(Heads.EMPTY, "{}");
    int steps = 40 + rnd.nextInt(60);
    for (int step = 0; step < steps; step++) {
      int r = rnd.nextInt(n);
      Document d = reps.get(r);
      int kind = rnd.nextInt(20);
      if (kind < 10) {
        Optional<ChangeHash> h = editor.randomTransaction(d);
        h.ifPresent(hash -> pool.put(hash, d.change(hash).orElseThrow().bytes().toByteArray()));
      } else if (kind == 10) {
        editor.abortedTransaction(d);
      } else if (kind < 16) {
        deliverRandom(rnd, d, pool);
      } else {
        Document from = reps.get(rnd.nextInt(n));
        List<byte[]> bytes = new ArrayList<>();
        for (Change c : from.changesSince(d.heads())) {
          bytes.add(c.bytes().toByteArray());
        }
        if (rnd.nextBoolean()) {
          Collections.reverse(bytes);
        }
        d.applyChanges(bytes);
      }
      Invariants.check(d);
      past.put(d.heads(), d.toJson());
    }
    // deliver everything everywhere, in random batches and orders
    for (Document d : reps) {
      List<byte[]> all = new ArrayList<>(pool.values());
      Collections.shuffle(all, rnd);
      int i = 0;
      while (i < all.size()) {
        int k = 1 + rnd.nextInt(all.size() - i);
        d.applyChanges(all.subList(i, i + k));
        i += k;
        Invariants.check(d);
      }
      assertEquals(List.of(), d.missingDeps(Heads.EMPTY), "nothing is missing once every change arrived");
      past.put(d.heads(), d.toJson());
    }
    Document first = reps.get(0);
    for (Document d : reps.subList(1, n)) {
      assertSameState(first, d);
    }
    // historical reads
    List<Heads> heads = new ArrayList<>(past.keySet());
    for (int k = 0; k < Math.min(6, heads.size()); k++) {
      Heads h = heads.get(rnd.nextInt(heads.size()));
      Document d = reps.get(rnd.nextInt(n));
      assertEquals(past.get(h), d.toJson(h), "toJson at past heads " + h);
      if (k < 2) {
        assertEquals(past.get(h), d.fork(h).toJson(), "fork at past heads " + h);
      }
    }
  }

  private static void deliverRandom(Random rnd, Document d, Map<ChangeHash, byte[]> pool) {
    if (pool.isEmpty()) {
      return;
    }
    List<byte[]> all = new ArrayList<>(pool.values());
    List<byte[]> batch = new ArrayList<>();
    for (int k = 1 + rnd.nextInt(Math.min(6, all.size())); k > 0; k--) {
      byte[] c = all.get(rnd.nextInt(all.size()));
      batch.add(c);
      if (rnd.nextInt(5) == 0) {
        batch.add(c);
      }
    }
    Collections.shuffle(batch, rnd);
    if (rnd.nextBoolean()) {
      d.applyChanges(batch);
    } else {
      // the same chunks concatenated into one byte array
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      batch.forEach(out::writeBytes);
      d.applyChanges(List.of(out.toByteArray()));
    }
  }

  /** Same JSON, heads, change set, conflicts at every key and index, text and marks. */
  static void assertSameState(Document a, Document b) {
    assertEquals(a.heads(), b.heads(), "heads");
    assertEquals(a.toJson(), b.toJson(), "JSON");
    assertEquals(hashes(a), hashes(b), "change sets");
    List<RandomEditor.Obj> objs = RandomEditor.objects(a);
    assertEquals(objs, RandomEditor.objects(b), "reachable objects");
    for (RandomEditor.Obj o : objs) {
      switch (o.type()) {
        case MAP, TABLE -> {
          assertEquals(a.keys(o.id()), b.keys(o.id()), "keys of " + o.id());
          for (String k : a.keys(o.id())) {
            assertEquals(a.getAll(o.id(), k), b.getAll(o.id(), k), "getAll at " + o.id() + " key " + k);
          }
        }
        case LIST -> {
          assertEquals(a.length(o.id()), b.length(o.id()));
          for (int i = 0; i < a.length(o.id()); i++) {
            assertEquals(a.getAll(o.id(), i), b.getAll(o.id(), i), "getAll at " + o.id() + " index " + i);
          }
        }
        case TEXT -> {
          assertEquals(a.text(o.id()), b.text(o.id()), "text of " + o.id());
          assertEquals(a.marks(o.id()), b.marks(o.id()), "marks of " + o.id());
        }
      }
    }
    assertTrue(objs.get(0).id().equals(ObjId.ROOT) && objs.get(0).type() == ObjType.MAP);
  }

  private static Set<ChangeHash> hashes(Document d) {
    Set<ChangeHash> out = new TreeSet<>();
    for (Change c : d.changes()) {
      out.add(c.hash());
    }
    return out;
  }
}
