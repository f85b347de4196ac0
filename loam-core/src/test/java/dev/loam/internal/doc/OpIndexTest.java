package dev.loam.internal.doc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.Seeds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** {@link OpIndex} against a plain {@link HashMap}, over the ways ops arrive: a load's declared counters, typing, turns, falling counters. */
class OpIndexTest {
  /** The ops of a history: {@code actors} actors taking turns of up to {@code turn} ops, counters growing, some skipped. */
  private static List<Long> history(Random r, int actors, int turn, int ops) {
    List<Long> ids = new ArrayList<>(ops);
    long counter = 1 + r.nextInt(5);
    while (ids.size() < ops) {
      int actor = r.nextInt(actors);
      int n = 1 + r.nextInt(turn);
      for (int i = 0; i < n && ids.size() < ops; i++) {
        ids.add(OpIds.pack(counter++, actor));
      }
      counter += r.nextInt(3); // counters other actors took, unseen here
    }
    return ids;
  }

  private static void check(OpIndex index, Map<Long, Integer> model, Random r, long maxCounter, int actors) {
    for (Map.Entry<Long, Integer> e : model.entrySet()) {
      assertEquals(e.getValue(), index.get(e.getKey()), "row of " + OpIds.counter(e.getKey()) + "@" + OpIds.actor(e.getKey()));
    }
    for (int k = 0; k < 2_000; k++) { // misses and hits alike, beyond every range too
      long id = OpIds.pack(r.nextLong(maxCounter + 10), r.nextInt(actors + 2));
      assertEquals(model.getOrDefault(id, -1), index.get(id), "row of " + OpIds.counter(id) + "@" + OpIds.actor(id));
    }
  }

  @TestFactory
  Stream<DynamicTest> everyWayOpsArriveFindsWhatAPlainMapFinds() {
    return Seeds.tests("op index against a hash map", seed -> {
      Random r = new Random(seed);
      int actors = 1 + r.nextInt(r.nextBoolean() ? 3 : 40);
      int turn = 1 + r.nextInt(r.nextBoolean() ? 3 : 200);
      List<Long> ids = history(r, actors, turn, 1 + r.nextInt(5_000));
      OpIndex index = new OpIndex();
      Map<Long, Integer> model = new HashMap<>();
      List<Long> order = new ArrayList<>(ids);
      int way = r.nextInt(3);
      if (way == 0) { // a load: counters declared, then the ops in some other order
        Map<Integer, long[]> ranges = new HashMap<>();
        int split = r.nextInt(ids.size() + 1); // and later ops appended as changes, by growing counter
        for (long id : ids.subList(0, split)) {
          long[] m = ranges.computeIfAbsent(OpIds.actor(id), a -> new long[] {Long.MAX_VALUE, 0, 0});
          m[0] = Math.min(m[0], OpIds.counter(id));
          m[1] = Math.max(m[1], OpIds.counter(id));
          m[2]++;
        }
        ranges.forEach((a, m) -> index.declare(a, m[0], m[1], (int) m[2]));
        Collections.shuffle(order.subList(0, split), r);
      } else if (way == 1) { // falling counters, nothing declared
        Collections.reverse(order);
      }
      for (int i = 0; i < order.size(); i++) {
        long id = order.get(i);
        int old = r.nextInt(4) == 0 ? index.putIfAbsent(id, i) : -2;
        if (old == -2) {
          index.put(id, i);
          model.put(id, i);
        } else {
          assertEquals(model.getOrDefault(id, -1), old);
          model.putIfAbsent(id, i);
        }
        if (r.nextInt(50) == 0) { // a replaced row, and a present one kept
          long again = order.get(r.nextInt(i + 1));
          index.put(again, i + 1_000_000);
          model.put(again, i + 1_000_000);
          assertEquals(model.get(again), index.putIfAbsent(again, 5));
        }
      }
      long max = ids.stream().mapToLong(OpIds::counter).max().orElse(1);
      check(index, model, r, max, actors);
    });
  }

  @Test
  void aSingleWritersOpsStayInAnArrayAndManyTakingTurnsGoToTheHashMap() {
    OpIndex dense = new OpIndex();
    for (int c = 1; c <= 100_000; c++) {
      dense.put(OpIds.pack(c, 0), c - 1);
    }
    assertEquals(99_999, dense.get(OpIds.pack(100_000, 0)));
    assertEquals(-1, dense.get(OpIds.pack(100_001, 0)));
    assertEquals(-1, dense.get(OpIds.HEAD));
    assertEquals(false, dense.hashes(0));
    // 100 actors taking turns of one op: each holds one counter in 100, far too sparse for an array
    OpIndex turns = new OpIndex();
    for (int c = 1; c <= 200_000; c++) {
      turns.put(OpIds.pack(c, c % 100), c);
    }
    assertEquals(true, turns.hashes(7));
    // a load's declared counters keep their array while the ops come in any order
    OpIndex loaded = new OpIndex();
    loaded.declare(0, 1, 100_000, 100_000);
    for (int c = 100_000; c >= 1; c -= 2) {
      loaded.put(OpIds.pack(c, 0), c);
    }
    assertEquals(false, loaded.hashes(0));
    assertEquals(100_000, loaded.get(OpIds.pack(100_000, 0)));
    assertEquals(-1, loaded.get(OpIds.pack(99_999, 0)));
    for (int c = 1; c <= 200_000; c += 997) {
      assertEquals(c, turns.get(OpIds.pack(c, c % 100)));
      assertEquals(-1, turns.get(OpIds.pack(c, (c + 1) % 100)));
    }
  }
}
