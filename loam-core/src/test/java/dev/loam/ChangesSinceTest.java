package dev.loam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Document#changesSince} on random concurrent histories (several replicas typing and
 * merging) against a plain model: every change that no change of {@code have} reaches through its
 * dependencies (a walk over the public {@link Change#deps()}), in the order of {@link Document#changes()}.
 * The {@code have} sets are random: current and past heads of any replica, single old changes,
 * unknown hashes, several concurrent changes at once.
 */
class ChangesSinceTest {
  @TestFactory
  Stream<DynamicTest> changesSinceIsEverythingHaveDoesNotReach() {
    return Seeds.tests("changesSince", ChangesSinceTest::run);
  }

  private static void run(long seed) {
    Random rnd = new Random(seed);
    int n = 1 + rnd.nextInt(4);
    List<Document> reps = new ArrayList<>();
    Document first = Document.create(ActorId.of(new byte[] {1}));
    ObjId[] text = new ObjId[1];
    first.transact(tx -> text[0] = tx.putObject(ObjId.ROOT, "text", ObjType.TEXT));
    reps.add(first);
    for (int i = 1; i < n; i++) {
      Document f = first.fork();
      f.setActor(ActorId.of(new byte[] {(byte) (i + 1)}));
      reps.add(f);
    }
    List<Heads> past = new ArrayList<>();
    for (int step = 0; step < 60; step++) {
      Document d = reps.get(rnd.nextInt(n));
      if (rnd.nextInt(5) == 0 && n > 1) {
        d.merge(reps.get(rnd.nextInt(n)));
      } else {
        d.transact(tx -> tx.spliceText(text[0], rnd.nextInt(tx.length(text[0]) + 1), 0, "x"));
      }
      past.add(d.heads());
    }
    Document all = reps.get(0);
    for (Document d : reps) {
      all.merge(d);
    }
    List<Change> changes = all.changes();
    List<ChangeHash> hashes = changes.stream().map(Change::hash).toList();
    for (int probe = 0; probe < 40; probe++) {
      Set<ChangeHash> have = new HashSet<>();
      switch (rnd.nextInt(4)) {
        case 0 -> have.addAll(past.get(rnd.nextInt(past.size())).hashes());
        case 1 -> have.add(hashes.get(rnd.nextInt(hashes.size())));
        case 2 -> {
          for (int k = rnd.nextInt(4); k >= 0; k--) {
            have.add(hashes.get(rnd.nextInt(hashes.size())));
          }
        }
        default -> {
          byte[] unknown = new byte[ChangeHash.LENGTH];
          rnd.nextBytes(unknown);
          have.add(ChangeHash.of(unknown));
          have.addAll(past.get(rnd.nextInt(past.size())).hashes());
        }
      }
      Set<ChangeHash> reached = reachable(changes, have);
      List<ChangeHash> expected = hashes.stream().filter(h -> !reached.contains(h)).toList();
      List<ChangeHash> actual = all.changesSince(Heads.of(new ArrayList<>(have))).stream().map(Change::hash).toList();
      assertEquals(expected, actual, "changes since " + have);
    }
  }

  /** The changes reachable from {@code from} (inclusive) through their dependencies; unknown hashes reach nothing. */
  private static Set<ChangeHash> reachable(List<Change> changes, Set<ChangeHash> from) {
    Map<ChangeHash, Change> byHash = new HashMap<>();
    changes.forEach(c -> byHash.put(c.hash(), c));
    Set<ChangeHash> seen = new HashSet<>();
    ArrayDeque<ChangeHash> todo = new ArrayDeque<>();
    for (ChangeHash h : from) {
      if (byHash.containsKey(h) && seen.add(h)) {
        todo.add(h);
      }
    }
    while (!todo.isEmpty()) {
      for (ChangeHash d : byHash.get(todo.poll()).deps()) {
        if (seen.add(d)) {
          todo.add(d);
        }
      }
    }
    return seen;
  }
}
